package io.modelcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bin/bench serving}: the serving end of the Kafka design — remote scoring through async I/O
 * with 1 and 64 requests in flight per subtask and 1 or 64 records per request, against the stand-in
 * model server on loopback (with no added latency and with {@code --latency-ms}), and rows upserted into PostgreSQL per second (a
 * server started by {@code bin/postgres-local} in a fresh directory, stopped afterwards). Each
 * variant runs {@code --repetitions} times, taking turns; medians are printed.
 */
@Command(name = "serving", mixinStandardHelpOptions = true,
        description = "Remote scoring (1 vs 64 requests in flight) and rows/s into PostgreSQL; prints medians.")
final class ServingCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--remote-records", defaultValue = "200000", description = "Records per remote-scoring run with 64 records a request (fewer with 1). Default: ${DEFAULT-VALUE}.")
    long remoteRecords;

    @Option(names = "--jdbc-records", defaultValue = "500000", description = "Rows per PostgreSQL run. Default: ${DEFAULT-VALUE}.")
    long jdbcRecords;

    @Option(names = "--latency-ms", defaultValue = "5", description = "The stand-in server's added latency in the second remote series. Default: ${DEFAULT-VALUE}.")
    long latencyMs;

    @Option(names = "--repetitions", defaultValue = "3", description = "Runs of each variant. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Project project = new Project(root);
        Path work = Files.createTempDirectory("modelcast-bench-serving");
        out.println("logs in " + work);
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        Path pgDir = Files.createTempDirectory("modelcast-bench-pg", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        String url = postgres(project, work, List.of("start", "--dir", pgDir.toString(), "--port", Integer.toString(Project.freePort())));
        try {
            for (int r = 0; r < repetitions; r++) {
                for (int batch : new int[] {1, 64}) {
                    for (long latency : new long[] {0, latencyMs}) {
                        for (int inFlight : new int[] {1, 64}) {
                            // Records per run sized so that each run takes seconds, not minutes.
                            long records = batch == 1 ? remoteRecords / (inFlight == 1 && latency > 0 ? 100 : 10) : remoteRecords;
                            String name = "remote, batch " + batch + ", " + inFlight + " in flight, " + latency + " ms latency";
                            runs.computeIfAbsent(name, k -> new ArrayList<>()).add(run(project, work, List.of("--mode", "remote",
                                    "--records", Long.toString(Math.max(2_000, records)), "--in-flight", Integer.toString(inFlight),
                                    "--latency-ms", Long.toString(latency), "--batch-size", Integer.toString(batch))));
                            out.printf(Locale.ROOT, "%s: %,.0f records/s%n", name, last(runs.get(name)));
                            out.flush();
                        }
                    }
                }
                String name = "PostgreSQL upserts";
                runs.computeIfAbsent(name, k -> new ArrayList<>()).add(run(project, work, List.of("--mode", "jdbc",
                        "--records", Long.toString(jdbcRecords), "--jdbc-url", url)));
                out.printf(Locale.ROOT, "%s: %,.0f rows/s%n", name, last(runs.get(name)));
                out.flush();
            }
        } finally {
            postgres(project, work, List.of("stop", "--dir", pgDir.toString(), "--wipe"));
        }
        out.println();
        out.println("medians (parallelism 2, " + repetitions + " runs each):");
        runs.forEach((name, values) -> out.printf(Locale.ROOT, "  %-55s %,10.0f /s   runs %s%n", name, Stats.median(values),
                values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList()));
        out.flush();
        return 0;
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static double run(Project project, Path work, List<String> args) throws IOException, InterruptedException {
        String name = "serving-" + System.nanoTime();
        List<String> command = project.benchJobCommand("io.modelcast.benchjob.ServingJob", work.resolve(name + ".log"), List.of());
        command.addAll(args);
        Path output = work.resolve(name + ".out");
        Process job = Processes.start(command, output);
        try {
            String result = ThroughputRun.awaitLine(output, "RESULT ", job, Duration.ofMinutes(12));
            JsonNode figures = JSON.readTree(result.substring("RESULT ".length()));
            return figures.get("recordsPerSecond").asDouble();
        } finally {
            Processes.stop(job);
        }
    }

    /** Runs bin/postgres-local; the last line of its output (the JDBC URL, for start). */
    private static String postgres(Project project, Path work, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(project.root.resolve("bin/postgres-local").toString()));
        command.addAll(args);
        Path output = work.resolve("postgres-local-" + args.get(0) + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(work.resolve("postgres-local-" + args.get(0) + ".err").toFile()).start();
        if (process.waitFor() != 0) {
            throw new IOException("bin/postgres-local " + String.join(" ", args) + " failed; see " + work);
        }
        List<String> lines = Files.readAllLines(output);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
}
