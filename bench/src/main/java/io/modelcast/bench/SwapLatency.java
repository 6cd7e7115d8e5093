package io.modelcast.bench;

import io.modelcast.cli.Durations;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Swap latency, end to end: the time from {@code fitter fit} returning (the model file is in
 * place) to the first output of each scoring subtask that carries the new version, while records
 * flow at a fixed rate through the job in local mode. Everything runs as the user runs it:
 * tcpsource, the fitter and the job are separate processes, and outputs are timed as they reach
 * the job's standard output.
 */
@Command(
        name = "swap-latency",
        mixinStandardHelpOptions = true,
        description = "Time from `fitter fit` returning to every scoring subtask scoring with the new version.")
final class SwapLatency implements Callable<Integer> {

    private static final Pattern OUTPUT = Pattern.compile(".*\"modelVersion\":(\\d+),\"modelAgeMs\":-?\\d+,\"subtask\":(\\d+)}");
    private static final Pattern PUBLISHED = Pattern.compile("published model-(\\d+)\\.json.*");

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--parallelism", defaultValue = "4", description = "Scoring subtasks. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--publishes", defaultValue = "10", description = "Models published and timed. Default: ${DEFAULT-VALUE}.")
    int publishes;

    @Option(names = "--rate", defaultValue = "4000", description = "Input lines per second. Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
            description = "The job's model poll interval. Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Spec CommandSpec spec;

    /** When each (version, subtask) pair was first seen on the job's output, in System.nanoTime(). */
    private final Map<Long, Map<Integer, Long>> firstSeen = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Project project = new Project(root);
        Path work = Files.createTempDirectory("modelcast-swap-latency");
        Path models = Files.createDirectories(work.resolve("models"));
        int port = Project.freePort();
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(new ProcessBuilder(Project.java(), "-jar", project.jar("tcpsource").toString(),
                            "--port", Integer.toString(port), "--count", Long.toString(rate * 3600), "--rate", Long.toString(rate))
                    .redirectErrorStream(true).redirectOutput(work.resolve("tcpsource.log").toFile()).start());
            publish(project, models);

            List<String> job = project.localJobCommand(work.resolve("job.log"));
            job.addAll(List.of("--port", Integer.toString(port), "--models", models.toString(),
                    "--parallelism", Integer.toString(parallelism), "--output-format", "json",
                    "--model-poll-interval", Durations.format(pollInterval),
                    "--web-port", Integer.toString(Project.freePort())));
            Process jobProcess = new ProcessBuilder(job).redirectError(work.resolve("job.err").toFile()).start();
            processes.add(jobProcess);
            Thread reader = new Thread(() -> readOutputs(jobProcess), "job-output");
            reader.setDaemon(true);
            reader.start();
            awaitAllSubtasks(1, Duration.ofMinutes(3), jobProcess);

            out.printf("swap latency: parallelism %d, %d lines/s, model poll interval %s; ms from `fitter fit` returning%n",
                    parallelism, rate, Durations.format(pollInterval));
            out.printf("%-8s %-12s %-12s%n", "version", "first (ms)", "all (ms)");
            List<Double> firstSubtask = new ArrayList<>();
            List<Double> allSubtasks = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < publishes; i++) {
                // Publish at a random phase of the poll cycle, as a real fitter does.
                Thread.sleep(1000 + random.nextInt((int) Math.max(1, pollInterval.toMillis())));
                long version = publish(project, models);
                long returned = System.nanoTime();
                awaitAllSubtasks(version, Duration.ofSeconds(60), jobProcess);
                List<Long> seen = new ArrayList<>(firstSeen.get(version).values());
                double first = (Collections.min(seen) - returned) / 1e6;
                double all = (Collections.max(seen) - returned) / 1e6;
                firstSubtask.add(first);
                allSubtasks.add(all);
                out.printf(Locale.ROOT, "%-8d %-12.1f %-12.1f%n", version, first, all);
                out.flush();
            }
            out.printf(Locale.ROOT, "median: first subtask %.1f ms, all %d subtasks %.1f ms; p90 all %.1f ms; max all %.1f ms%n",
                    percentile(firstSubtask, 50), parallelism, percentile(allSubtasks, 50),
                    percentile(allSubtasks, 90), percentile(allSubtasks, 100));
            return 0;
        } finally {
            for (Process process : processes) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private long publish(Project project, Path models) throws IOException, InterruptedException {
        Process fit = new ProcessBuilder(Project.java(), "-jar", project.jar("fitter").toString(), "fit", "--models", models.toString())
                .redirectErrorStream(true).start();
        String output = new String(fit.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (fit.waitFor() != 0) {
            throw new IOException("fitter fit failed: " + output);
        }
        Matcher published = PUBLISHED.matcher(output);
        if (!published.matches()) {
            throw new IOException("unexpected fitter output: " + output);
        }
        return Long.parseLong(published.group(1));
    }

    private void readOutputs(Process job) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                long now = System.nanoTime();
                Matcher output = OUTPUT.matcher(line);
                if (output.matches()) {
                    firstSeen.computeIfAbsent(Long.parseLong(output.group(1)), v -> new ConcurrentHashMap<>())
                            .putIfAbsent(Integer.parseInt(output.group(2)), now);
                }
            }
        } catch (IOException e) {
            // The job was stopped.
        }
    }

    private void awaitAllSubtasks(long version, Duration timeout, Process job) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstSeen.getOrDefault(version, Map.of()).size() < parallelism) {
            if (!job.isAlive()) {
                throw new IllegalStateException("the job exited; see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("model version " + version + " did not reach all subtasks in " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
