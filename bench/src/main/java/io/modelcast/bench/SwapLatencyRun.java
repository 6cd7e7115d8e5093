package io.modelcast.bench;

import io.modelcast.cli.Durations;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the swap-latency scenario: the job in local mode (as {@code bin/job-local} runs it)
 * scoring {@code tcpsource}'s lines at a fixed rate, and models published into its directory the
 * way the fitter publishes them ({@link ModelDirectory#publish}: written aside, renamed into place),
 * from this process, so the clock starts right after the rename. Each publish is timed to the first
 * output line of every scoring subtask that carries the new version.
 */
final class SwapLatencyRun {

    private static final Pattern OUTPUT = Pattern.compile(".*\"modelVersion\":(\\d+),\"modelAgeMs\":-?\\d+,\"subtask\":(\\d+)}");

    /** One publish: the version, and the milliseconds until each subtask scored with it, in subtask order. */
    record Publish(long version, List<Double> subtaskMillis) {
        double firstMillis() {
            return Stats.percentile(subtaskMillis, 0);
        }

        double lastMillis() {
            return Stats.max(subtaskMillis);
        }
    }

    /** When each (version, subtask) pair was first seen on the job's output, in System.nanoTime(). */
    private final Map<Long, Map<Integer, Long>> firstSeen = new ConcurrentHashMap<>();
    private final int parallelism;
    private final Publisher publisher;
    private final List<String> jobArgs;
    private final List<String> feedArgs;
    private final SwapEffects gaps;

    /** Publishes the next version into a model directory. */
    @FunctionalInterface
    interface Publisher {
        ModelFile publish(ModelDirectory directory) throws IOException;
    }

    private SwapLatencyRun(int parallelism, Publisher publisher, List<String> jobArgs, List<String> feedArgs, SwapEffects gaps) {
        this.gaps = gaps;
        this.parallelism = parallelism;
        this.publisher = publisher;
        this.jobArgs = jobArgs;
        this.feedArgs = feedArgs;
    }

    /**
     * Runs the job over {@code models} (which may already hold many versions), waits until every
     * subtask scores with the newest, then publishes {@code publishes} versions one after another.
     *
     * @param progress told about each publish as it is timed
     */
    static List<Publish> measure(Project project, Path work, Path models, int parallelism, Duration pollInterval,
            int publishes, long linesPerSecond, Consumer<Publish> progress) throws IOException, InterruptedException {
        return new SwapLatencyRun(parallelism, SwapLatencyRun::flipCustomModel, List.of(), List.of(), new SwapEffects())
                .run(project, work, models, pollInterval, publishes, linesPerSecond, progress);
    }

    /**
     * As {@link #measure(Project, Path, Path, int, Duration, int, long, Consumer)}, with models from
     * {@code publisher}, more job options ({@code --input-format csv}) and tcpsource options ({@code --file}).
     */
    static List<Publish> measure(Project project, Path work, Path models, int parallelism, Duration pollInterval,
            int publishes, long linesPerSecond, Publisher publisher, List<String> jobArgs, List<String> feedArgs,
            Consumer<Publish> progress) throws IOException, InterruptedException {
        return measure(project, work, models, parallelism, pollInterval, publishes, linesPerSecond, publisher, jobArgs, feedArgs,
                new SwapEffects(), progress);
    }

    /** As above, the gaps between each subtask's results recorded into {@code gaps}, from the job's first model on. */
    static List<Publish> measure(Project project, Path work, Path models, int parallelism, Duration pollInterval,
            int publishes, long linesPerSecond, Publisher publisher, List<String> jobArgs, List<String> feedArgs,
            SwapEffects gaps, Consumer<Publish> progress) throws IOException, InterruptedException {
        return new SwapLatencyRun(parallelism, publisher, jobArgs, feedArgs, gaps)
                .run(project, work, models, pollInterval, publishes, linesPerSecond, progress);
    }

    private List<Publish> run(Project project, Path work, Path models, Duration pollInterval, int publishes,
            long linesPerSecond, Consumer<Publish> progress) throws IOException, InterruptedException {
        String name = "swap-p" + parallelism + "-" + pollInterval.toMillis() + "ms-" + System.nanoTime();
        ModelDirectory directory = ModelDirectory.open(models);
        long current = directory.lastVersion();
        if (current == 0) {
            current = publisher.publish(directory).version();
        }
        int port = Project.freePort();
        List<Process> processes = new ArrayList<>();
        try {
            List<String> feed = new ArrayList<>(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(),
                    "--port", Integer.toString(port), "--count", Long.toString(linesPerSecond * 3600),
                    "--rate", Long.toString(linesPerSecond)));
            feed.addAll(feedArgs);
            Path feedLog = work.resolve(name + ".tcpsource.log");
            processes.add(Processes.start(feed, feedLog));
            List<String> job = project.localJobCommand(work.resolve(name + ".log"));
            job.addAll(List.of("--port", Integer.toString(port), "--models", models.toString(),
                    "--parallelism", Integer.toString(parallelism), "--output-format", "json",
                    "--model-poll-interval", Durations.format(pollInterval),
                    "--web-port", Integer.toString(Project.freePort())));
            job.addAll(jobArgs);
            Process jobProcess = new ProcessBuilder(job).redirectError(work.resolve(name + ".err").toFile()).start();
            processes.add(jobProcess);
            Thread reader = new Thread(() -> readOutputs(jobProcess, feedLog, linesPerSecond), "job-output");
            reader.setDaemon(true);
            reader.start();
            awaitAllSubtasks(current, Duration.ofMinutes(3), jobProcess);
            awaitCaughtUp(Duration.ofMinutes(1), jobProcess);
            gaps.reset();

            List<Publish> timed = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < publishes; i++) {
                // Publish at a random phase of the poll cycle, as a fitter run by cron does.
                Thread.sleep(300 + random.nextInt((int) Math.max(1, pollInterval.toMillis())));
                gaps.swapStarts();
                ModelFile published = publisher.publish(directory);
                long renamed = System.nanoTime();
                awaitAllSubtasks(published.version(), Duration.ofSeconds(60), jobProcess);
                gaps.swapEnded();
                List<Double> millis = new ArrayList<>();
                for (int subtask = 0; subtask < parallelism; subtask++) {
                    millis.add((firstSeen.get(published.version()).get(subtask) - renamed) / 1e6);
                }
                Publish publish = new Publish(published.version(), millis);
                timed.add(publish);
                progress.accept(publish);
            }
            return timed;
        } finally {
            for (Process process : processes) {
                Processes.stop(process);
            }
        }
    }

    private static ModelFile flipCustomModel(ModelDirectory directory) throws IOException {
        return directory.publish(newest -> new CustomModel(newest.map(m -> !((CustomModel) m.model()).isCloned()).orElse(true)),
                warning -> {});
    }

    /**
     * Reads the job's results as they come. The {@code n}-th result is taken for the {@code n}-th
     * line of the feed, due {@code n / linesPerSecond} after its line 0 (which tcpsource logs): the
     * job keeps the order of the lines within a subtask, and its subtasks take turns over small
     * batches, so the error is at most a batch's worth of lines.
     */
    private void readOutputs(Process job, Path feedLog, long linesPerSecond) {
        double nanosPerLine = 1e9 / linesPerSecond;
        long lineZeroDue = 0;
        long results = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                long now = System.nanoTime();
                Matcher output = OUTPUT.matcher(line);
                if (output.matches()) {
                    if (results == 0) {
                        // The feed logs line 0's time before it sends it.
                        lineZeroDue = lineZeroDue(feedLog);
                    }
                    gaps.seen(Integer.parseInt(output.group(2)), now, lineZeroDue + (long) (results++ * nanosPerLine));
                    firstSeen.computeIfAbsent(Long.parseLong(output.group(1)), v -> new ConcurrentHashMap<>())
                            .putIfAbsent(Integer.parseInt(output.group(2)), now);
                }
            }
        } catch (IOException e) {
            // The job was stopped.
        }
    }

    private static long lineZeroDue(Path feedLog) throws IOException {
        String prefix = "paced: line 0 due at nanoTime "; // tcpsource's LoadServer.LINE_ZERO_DUE
        return Files.readAllLines(feedLog).stream().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> Long.parseLong(l.substring(prefix.length()).strip())).findFirst()
                .orElseThrow(() -> new IOException("tcpsource did not log when line 0 was due (" + feedLog + ")"));
    }

    /** Results are as late as this, at most, once the job has worked off what came before its first model. */
    private static final double CAUGHT_UP_MILLIS = 50;

    /**
     * Waits until the job has scored what the feed sent before its first model was in use: until
     * then every result is late by the start-up, which is not what a swap does.
     */
    private void awaitCaughtUp(Duration timeout, Process job) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(gaps.latestLatencyMillis() <= CAUGHT_UP_MILLIS)) {
            if (!job.isAlive()) {
                throw new IllegalStateException("the job exited (code " + job.exitValue() + "); see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job's results were still " + gaps.latestLatencyMillis()
                        + " ms late after " + timeout + ": it does not keep up with the feed");
            }
            Thread.sleep(10);
        }
    }

    private void awaitAllSubtasks(long version, Duration timeout, Process job) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstSeen.getOrDefault(version, Map.of()).size() < parallelism) {
            if (!job.isAlive()) {
                throw new IllegalStateException("the job exited (code " + job.exitValue() + "); see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("model version " + version + " did not reach all " + parallelism
                        + " subtasks in " + timeout);
            }
            Thread.sleep(1);
        }
    }
}
