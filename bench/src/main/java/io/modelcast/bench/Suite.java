package io.modelcast.bench;

import io.modelcast.bench.Stats.Distribution;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.repository.ModelDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The whole benchmark suite: throughput against a chained baseline, swap latency, scale with the
 * number of versions, Kafka, and real models (logistic, ONNX); then {@link Report} writes the results. A scenario that cannot
 * run is reported as a failure — the others still run — and makes the suite exit with 1.
 */
final class Suite {

    /** How much of everything to do: the full run, or a smoke run that keeps the harness honest in CI. */
    record Plan(String mode, List<Integer> throughputParallelism, int throughputRepetitions, long throughputRecords,
            List<Integer> swapParallelism, List<Duration> swapPolls, int swapPublishes, long swapLinesPerSecond,
            List<Long> scaleVersions, int scalePublishes, Duration scalePoll, int scaleRepetitions,
            long kafkaRecords, int kafkaRepetitions, long kafkaLatencyRate, long kafkaLatencySeconds, boolean profile,
            long realRecords, int realRepetitions, List<Integer> realBatchSizes, int largeModelPublishes,
            int checkpointHidden, List<Integer> checkpointParallelism) {

        static final Plan FULL = new Plan("full", List.of(1, 2), 5, 30_000_000,
                List.of(1, 2, 4, 8), List.of(Duration.ofMillis(500), Duration.ofMillis(100)), 30, 4_000,
                List.of(1L, 100L, 10_000L), 10, Duration.ofMillis(500), 3,
                1_000_000, 3, 10_000, 20, true,
                2_000_000, 3, List.of(1, 64, 256), 10,
                6_250_000, List.of(1, 4, 8));

        static final Plan QUICK = new Plan("quick", List.of(1, 2), 1, 5_000_000,
                List.of(1, 2), List.of(Duration.ofMillis(100)), 5, 4_000,
                List.of(1L, 100L), 3, Duration.ofMillis(100), 1,
                100_000, 1, 5_000, 3, false,
                200_000, 1, List.of(1, 64, 256), 2,
                125_000, List.of(1, 2));
    }

    /** The job's parallelism the Spark reference ({@code local[2]}: two cores) is measured beside. */
    static final int SPARK_PARALLELISM = 2;

    private final Project project;
    private final Plan plan;
    private final PrintWriter out;
    private final Path work;
    private final List<String> failures = new ArrayList<>();

    Suite(Project project, Plan plan, PrintWriter out) throws IOException {
        this.project = project;
        this.plan = plan;
        this.out = out;
        this.work = Files.createTempDirectory("modelcast-bench");
    }

    Results run(String command) {
        say("benchmark suite (%s); logs in %s", plan.mode(), work);
        List<Results.Throughput> throughput = new ArrayList<>();
        List<Results.SwapLatency> swap = new ArrayList<>();
        List<Results.Scale> scale = new ArrayList<>();
        List<KafkaThroughput.Result> kafka = new ArrayList<>();
        JfrProfile[] profile = new JfrProfile[1];
        RealModels.Result[] real = new RealModels.Result[1];
        scenario("1. throughput", () -> throughput(throughput, profile));
        scenario("2. swap latency", () -> swapLatency(swap));
        scenario("3. scale with versions", () -> scale(scale));
        scenario("4. Kafka", () -> kafka.addAll(KafkaThroughput.measure(project, Files.createDirectories(work.resolve("kafka")),
                plan.kafkaRecords(), plan.kafkaRepetitions(), plan.kafkaLatencyRate(), plan.kafkaLatencySeconds(), 2, Duration.ofSeconds(1),
                false, List.of(), out)));
        List<CheckpointSize.Result> checkpoints = new ArrayList<>();
        scenario("5. real models", () -> real[0] = RealModels.measure(project, Files.createDirectories(work.resolve("real")),
                plan.realRecords(), plan.realRepetitions(), plan.realBatchSizes(), plan.largeModelPublishes(), out));
        scenario("6. checkpoint size", () -> checkpoints.addAll(CheckpointSize.measure(project,
                Files.createDirectories(work.resolve("checkpoints")), plan.checkpointHidden(), plan.checkpointParallelism(), out)));
        return new Results(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), plan.mode(), command, Machine.current(),
                throughput, swap, scale, kafka, real[0], checkpoints, profile[0], failures);
    }

    private interface Scenario {
        void run() throws Exception;
    }

    private void scenario(String name, Scenario scenario) {
        say("== %s", name);
        try {
            scenario.run();
        } catch (Exception | Error e) {
            failures.add(name + ": " + e);
            say("%s could not run: %s", name, e);
        }
    }

    private void throughput(List<Results.Throughput> results, JfrProfile[] profile) throws Exception {
        Path models = modelDirectoryWith(1);
        for (int parallelism : plan.throughputParallelism()) {
            List<Double> baseline = new ArrayList<>();
            List<Double> hop = new ArrayList<>();
            List<Double> broadcast = new ArrayList<>();
            List<Double> spark = new ArrayList<>();
            for (int run = 0; run < plan.throughputRepetitions(); run++) {
                // Taking turns, so drifts of a shared machine hit all of them alike.
                baseline.add(ThroughputRun.measure(project, work, "baseline", parallelism, models, plan.throughputRecords(), Optional.empty()));
                hop.add(ThroughputRun.measure(project, work, "hop", parallelism, models, plan.throughputRecords(), Optional.empty()));
                broadcast.add(ThroughputRun.measure(project, work, "broadcast", parallelism, models, plan.throughputRecords(), Optional.empty()));
                say("p=%d run %d: baseline %.2f M/s, hop %.2f M/s, broadcast %.2f M/s", parallelism, run + 1,
                        baseline.get(run) / 1e6, hop.get(run) / 1e6, broadcast.get(run) / 1e6);
                if (parallelism == SPARK_PARALLELISM) {
                    spark.add(ThroughputRun.measureSpark(project, work, plan.throughputRecords()));
                    say("run %d: Spark Streaming %.2f M/s", run + 1, spark.get(run) / 1e6);
                }
            }
            results.add(Results.Throughput.of(parallelism, plan.throughputRecords(), baseline, hop, broadcast, spark));
        }
        if (plan.profile()) {
            Path recording = work.resolve("broadcast-p1.jfr");
            ThroughputRun.measure(project, work, "broadcast", 1, models, plan.throughputRecords(), Optional.of(recording));
            profile[0] = JfrProfile.read(recording, 12);
            say("profiled broadcast p=1: %s", recording);
        }
    }

    private void swapLatency(List<Results.SwapLatency> results) throws Exception {
        for (Duration poll : plan.swapPolls()) {
            for (int parallelism : plan.swapParallelism()) {
                results.add(swapLatency(modelDirectoryWith(1), parallelism, poll, plan.swapPublishes()));
            }
        }
    }

    private Results.SwapLatency swapLatency(Path models, int parallelism, Duration poll, int publishes) throws Exception {
        List<SwapLatencyRun.Publish> timed = SwapLatencyRun.measure(project, work, models, parallelism, poll, publishes,
                plan.swapLinesPerSecond(), p -> {});
        List<Double> any = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        for (SwapLatencyRun.Publish publish : timed) {
            any.addAll(publish.subtaskMillis());
            last.add(publish.lastMillis());
        }
        Results.SwapLatency result = new Results.SwapLatency(parallelism, poll.toMillis(), publishes,
                Distribution.of(any), Distribution.of(last), last);
        say("p=%d, %d ms poll: last subtask p50 %.0f, p99 %.0f, max %.0f ms", parallelism, poll.toMillis(),
                result.lastSubtask().p50(), result.lastSubtask().p99(), result.lastSubtask().max());
        return result;
    }

    private void scale(List<Results.Scale> results) throws Exception {
        int parallelism = 2;
        for (long versions : plan.scaleVersions()) {
            Path models = modelDirectoryWith(versions);
            List<Double> broadcast = new ArrayList<>();
            for (int run = 0; run < plan.scaleRepetitions(); run++) {
                broadcast.add(ThroughputRun.measure(project, work, "broadcast", parallelism, models, plan.throughputRecords(), Optional.empty()));
            }
            Results.SwapLatency swap = swapLatency(models, parallelism, plan.scalePoll(), plan.scalePublishes());
            results.add(new Results.Scale(versions, parallelism, plan.scalePoll().toMillis(), Stats.median(broadcast), swap.lastSubtask()));
            say("%,d versions: %.2f M/s", versions, Stats.median(broadcast) / 1e6);
        }
    }

    /** A fresh model directory holding versions 1..n, written as the fitter writes them (aside, then renamed). */
    private Path modelDirectoryWith(long versions) throws IOException {
        Path models = Files.createTempDirectory(work, "models-" + versions + "-");
        ModelFileCodec codec = new ModelFileCodec();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (long version = 1; version <= versions; version++) {
            Path temp = models.resolve(".model.tmp");
            Files.write(temp, codec.encode(ModelFile.create(version, now, new CustomModel(version % 2 == 1))));
            Files.move(temp, models.resolve(ModelDirectory.fileName(version)), StandardCopyOption.ATOMIC_MOVE);
        }
        return models;
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    /** Where a run's results go by default: {@code bench/results/<date>} for a full run. */
    static Path defaultResults(Path root, Plan plan) {
        return plan == Plan.QUICK
                ? root.resolve("bench/target/bench-quick")
                : root.resolve("bench/results").resolve(DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.now().atZone(ZoneOffset.UTC)));
    }
}
