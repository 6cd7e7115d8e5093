package io.modelcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of the throughput scenario: {@code bench-job}'s {@code ThroughputJob} (the job's socket
 * graph, or its hard-coded baseline, ending in a counting sink) in a JVM of its own, fed by {@code
 * tcpsource --count N} in another once every scoring subtask has its model.
 */
final class ThroughputRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private ThroughputRun() {}

    /**
     * Records per second from the first result to the last.
     *
     * @param variant {@code broadcast} (the job), {@code baseline} or {@code hop} (see {@code ThroughputJob})
     * @param flightRecording if present, a JFR recording of the job's JVM is written there
     */
    static double measure(Project project, Path work, String variant, int parallelism, Path models, long records,
            Optional<Path> flightRecording) throws IOException, InterruptedException {
        return measure(project, work, variant, parallelism, models, records, flightRecording, List.of(), List.of());
    }

    /**
     * As {@link #measure(Project, Path, String, int, Path, long, Optional)}, with more job options
     * (say {@code --input-format csv --batch-size 64}) and tcpsource options (say {@code --file rows.csv}).
     */
    static double measure(Project project, Path work, String variant, int parallelism, Path models, long records,
            Optional<Path> flightRecording, List<String> jobArgs, List<String> feedArgs) throws IOException, InterruptedException {
        String name = variant + "-p" + parallelism + "-" + System.nanoTime();
        int port = Project.freePort();
        List<String> jvmOptions = new ArrayList<>();
        flightRecording.ifPresent(file -> jvmOptions.add("-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true"));
        List<String> command = project.benchJobCommand("io.modelcast.benchjob.ThroughputJob", work.resolve(name + ".log"), jvmOptions);
        command.addAll(List.of("--variant", variant, "--parallelism", Integer.toString(parallelism),
                "--port", Integer.toString(port), "--records", Long.toString(records), "--models", models.toString()));
        command.addAll(jobArgs);
        return feedAndAwait(project, work, name, command, port, records, feedArgs);
    }

    /**
     * Records per second of the origin's design on Spark Streaming ({@code bench-spark}'s {@code
     * SparkSeedJob}, {@code local[2]}) on the same feed: from the start of its first micro-batch with
     * records to the end of the one that reached {@code records}.
     */
    static double measureSpark(Project project, Path work, long records) throws IOException, InterruptedException {
        String name = "spark-" + System.nanoTime();
        int port = Project.freePort();
        List<String> command = project.sparkCommand();
        command.addAll(List.of(Integer.toString(port), Long.toString(records), Long.toString(SPARK_BATCH_INTERVAL_MILLIS),
                Long.toString(60 + records / 200_000)));
        return feedAndAwait(project, work, name, command, port, records, List.of());
    }

    /** Spark's micro-batch interval. */
    static final long SPARK_BATCH_INTERVAL_MILLIS = 500;

    /** Starts {@code command}, feeds it once it prints READY, and returns the records/s of its RESULT. */
    private static double feedAndAwait(Project project, Path work, String name, List<String> command, int port, long records,
            List<String> feedArgs) throws IOException, InterruptedException {
        Path output = work.resolve(name + ".out");
        Process job = Processes.start(command, output);
        Process feed = null;
        try {
            awaitLine(output, "READY", job, START_TIMEOUT);
            List<String> feedCommand = new ArrayList<>(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(),
                    "--port", Integer.toString(port), "--count", Long.toString(records)));
            feedCommand.addAll(feedArgs);
            feed = Processes.start(feedCommand, work.resolve(name + ".tcpsource.log"));
            Duration timeout = Duration.ofSeconds(60 + records / 200_000);
            String result = awaitLine(output, "RESULT ", job, timeout);
            JsonNode figures = JSON.readTree(result.substring("RESULT ".length()));
            return figures.get("recordsPerSecond").asDouble();
        } finally {
            if (feed != null) {
                Processes.stop(feed);
            }
            Processes.stop(job);
        }
    }

    /**
     * The first whole line of a process's output that starts with {@code prefix}; fails if it exits
     * or times out first.
     */
    static String awaitLine(Path output, String prefix, Process process, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(output)) {
                String text = Files.readString(output);
                // Whole lines only: the job may be halfway through writing the last one.
                String complete = text.substring(0, text.lastIndexOf('\n') + 1);
                for (String line : complete.lines().toList()) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IOException("the benchmark job exited (code " + process.exitValue() + ") before printing "
                        + prefix.trim() + "; see " + output);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the benchmark job did not print " + prefix.trim() + " within " + timeout + "; see " + output);
            }
            Thread.sleep(20);
        }
    }
}
