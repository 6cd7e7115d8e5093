package io.modelcast.fitter;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.EvaluationEvidence;
import io.modelcast.model.rollout.EvaluationRecord;
import io.modelcast.model.rollout.RolloutJudge;
import io.modelcast.model.rollout.RolloutReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code fitter rollout --watch}: reads the job's rollout reports — and its evaluation records, for a
 * policy with evaluation bounds — as they are written and, for the name's running challenger, asks
 * {@link RolloutJudge} after each one (an evaluation record is judged with the latest report); a promotion or a retirement is
 * published at once, as a new version ({@link ModelDirectory#promote}), and logged with the figures
 * that made it. Reports of other names or of other challengers are skipped. Files stay the only
 * contract with the job: the watcher reads what the job wrote and publishes what the job reads.
 */
final class RolloutWatch {

    /** How long to wait for a report line before looking again. */
    private static final Duration IDLE = Duration.ofMillis(100);

    private final ModelDirectory directory;
    private final String name;
    private final PrintWriter out;
    private final Consumer<String> warnings;
    /** The latest report of the name, judged again when labels say more. */
    private RolloutReport latest;
    /** What labels said of each version of the name (the job evaluates the champion and the canary side by side). */
    private final Map<Long, EvaluationEvidence> evidence = new HashMap<>();

    RolloutWatch(ModelDirectory directory, String name, PrintWriter out, Consumer<String> warnings) {
        this.directory = directory;
        this.name = name;
        this.out = out;
        this.warnings = warnings;
    }

    /** Where report lines come from: a file followed as it grows, standard input, a Kafka topic. */
    interface Lines extends AutoCloseable {
        /** The next line, or null if none came within a short wait. */
        String next() throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    /** Lines of a reader; at its end, asked again after a pause, as {@code tail -f} would. */
    static Lines of(BufferedReader reader) {
        return new Lines() {
            @Override
            public String next() throws IOException, InterruptedException {
                String line = reader.readLine();
                if (line == null) {
                    Thread.sleep(IDLE.toMillis());
                }
                return line;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /**
     * Follows {@code reports} until a decision is published ({@code once}), the deadline passes, or
     * the thread is interrupted.
     *
     * @return whether a decision was published
     */
    boolean follow(Lines reports, boolean once, Optional<Instant> deadline) throws IOException, InterruptedException {
        boolean decided = false;
        while (deadline.isEmpty() || Instant.now().isBefore(deadline.get())) {
            String line = reports.next();
            if (line == null) {
                continue;
            }
            Optional<RolloutReport> report = RolloutReport.parse(line).filter(r -> r.model().equals(name));
            if (report.isEmpty()) {
                Optional<EvaluationRecord> record = EvaluationRecord.parse(line).filter(r -> r.model().equals(name));
                if (record.isPresent() && evidenceFor(record.get().modelVersion()).add(record.get()) && latest != null) {
                    report = Optional.of(latest);
                }
            }
            if (report.isPresent() && judge(report.get())) {
                decided = true;
                if (once) {
                    return true;
                }
            }
        }
        return decided;
    }

    /** The evidence of labels on {@code version}. */
    private EvaluationEvidence evidenceFor(long version) {
        return evidence.computeIfAbsent(version, v -> new EvaluationEvidence(name, v));
    }

    /** Decides on one report; true if a decision was published. */
    boolean judge(RolloutReport report) throws IOException {
        latest = report;
        ModelDirectory.Roles roles = directory.roles(warnings);
        roles.champion().map(ModelFile::model).ifPresent(model -> model.close());
        roles.challenger().map(ModelFile::model).ifPresent(model -> model.close());
        if (roles.challenger().isEmpty() || roles.champion().isEmpty() || roles.challenger().get().version() != report.challenger()) {
            return false;
        }
        ModelFile challenger = roles.challenger().get();
        RolloutJudge.Decision decision = RolloutJudge.decide(report, evidenceFor(challenger.version()),
                challenger.rollout().get().policy());
        if (decision.verdict() == RolloutJudge.Verdict.WAIT) {
            return false;
        }
        boolean promote = decision.verdict() == RolloutJudge.Verdict.PROMOTE;
        ModelFile published;
        try {
            published = directory.endRollout(challenger.version(), promote, warnings);
        } catch (IOException e) {
            // Someone else ended it between the report and now: nothing left to decide on it.
            warnings.accept(e.getMessage());
            return false;
        }
        published.model().close();
        out.printf("%s: %s challenger version %d of %s (%s): published %s%n", Instant.now(), promote ? "promoted" : "retired",
                challenger.version(), name, decision.reason(), ModelDirectory.fileName(published.version()));
        out.flush();
        return true;
    }
}
