package io.modelcast.bench;

import io.modelcast.model.LogisticModel;
import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bench features}: records/s of raw events whose five stateful features the job computes in
 * keyed state ({@code --input-format events}) against the same records as ready-made vectors
 * ({@code --input-format json}), scored by the same logistic model at parallelism 2, taking turns.
 * Not part of the suite: run it by hand; docs/benchmarks.md has the figures.
 */
@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description = "Records/s of raw events with 5 stateful features computed in the job vs the same records as"
                + " ready-made vectors, at parallelism 2, taking turns; prints each run, the medians and the ratio.")
final class FeaturesCommand implements Callable<Integer> {

    static final int KEYS = 1_000;
    static final int PARALLELISM = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The amount and five stateful features of a user's purchases (as docs/features.md's example). */
    static final String SPEC = """
            {"features": [
              {"name": "amount", "op": "value", "of": "amount"},
              {"name": "mean10", "op": "mean", "of": "amount", "by": "user", "last": 10},
              {"name": "max10", "op": "max", "of": "amount", "by": "user", "last": 10},
              {"name": "count_1m", "op": "count", "by": "user", "window": "1m"},
              {"name": "sum_30s", "op": "sum", "of": "amount", "by": "user", "window": "30s"},
              {"name": "since_last", "op": "seconds_since_last", "by": "user", "missing": -1}
            ]}""";

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--records", defaultValue = "300000", description = "Records per run. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(names = "--repetitions", defaultValue = "3", description = "Runs of each variant, taking turns. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--profile", paramLabel = "FILE.jfr", description = "Record the first events run's job JVM with JFR into this file.")
    Path profile;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("modelcast-bench-features");
        out.println("logs in " + work);
        FeatureSpec features = FeatureSpec.fromJson(JSON.readTree(SPEC));
        Path events = work.resolve("events.jsonl");
        Path vectors = work.resolve("vectors.jsonl");
        writeInputs(features, events, vectors);
        LogisticModel model = new LogisticModel(new double[] {0.01, 0.02, -0.01, 0.1, 0.001, -0.02}, -1, 0.5, null);
        Path eventModels = Files.createTempDirectory(work, "models-events-");
        ModelDirectory.open(eventModels).publish(newest -> model, new TrainingFacts(Optional.empty(), Optional.of(features)),
                warning -> {});
        Path vectorModels = Files.createTempDirectory(work, "models-vectors-");
        ModelDirectory.open(vectorModels).publish(newest -> model, warning -> {});

        Project project = new Project(root);
        List<Double> eventRuns = new ArrayList<>();
        List<Double> vectorRuns = new ArrayList<>();
        for (int run = 0; run < repetitions; run++) {
            eventRuns.add(ThroughputRun.measure(project, work, "broadcast", PARALLELISM, eventModels, records,
                    run == 0 ? Optional.ofNullable(profile) : Optional.empty(),
                    List.of("--input-format", "events"), List.of("--file", events.toString())));
            vectorRuns.add(ThroughputRun.measure(project, work, "broadcast", PARALLELISM, vectorModels, records, Optional.empty(),
                    List.of("--input-format", "json"), List.of("--file", vectors.toString())));
            out.printf(Locale.ROOT, "run %d: events %,.0f/s, vectors %,.0f/s%n", run + 1, eventRuns.get(run), vectorRuns.get(run));
            out.flush();
        }
        double eventsMedian = Stats.median(eventRuns);
        double vectorsMedian = Stats.median(vectorRuns);
        out.printf(Locale.ROOT, "median: events with 5 stateful features %,.0f records/s, ready-made vectors %,.0f records/s,"
                + " ratio %.2f (%d records over %d keys, parallelism %d)%n", eventsMedian, vectorsMedian, eventsMedian / vectorsMedian,
                records, KEYS, PARALLELISM);
        out.flush();
        return 0;
    }

    /** {@link #records} purchases over {@link #KEYS} users, 10 ms apart, and the same as vectors of their features. */
    private void writeInputs(FeatureSpec features, Path events, Path vectors) throws Exception {
        List<String> lines = new ArrayList<>(records);
        List<Event> read = new ArrayList<>(records);
        for (long i = 0; i < records; i++) {
            int user = (int) ((i * 2_654_435_761L) % KEYS);
            String line = String.format(Locale.ROOT, "{\"id\":\"e%d\",\"ts\":%d,\"user\":\"u%d\",\"amount\":%.2f}",
                    i, 1_767_225_600_000L + 10 * i, user, ((i * 7_919) % 10_007) / 100.0 + 1);
            lines.add(line);
            read.add(Event.of(JSON.readTree(line), "ts"));
        }
        List<double[]> computed = FeatureComputer.offline(features, read);
        try (BufferedWriter e = Files.newBufferedWriter(events, StandardCharsets.UTF_8);
                BufferedWriter v = Files.newBufferedWriter(vectors, StandardCharsets.UTF_8)) {
            for (int i = 0; i < records; i++) {
                e.write(lines.get(i));
                e.newLine();
                StringBuilder vector = new StringBuilder("{\"id\":\"e").append(i).append("\",\"features\":[");
                for (int f = 0; f < computed.get(i).length; f++) {
                    vector.append(f == 0 ? "" : ",").append((float) computed.get(i)[f]);
                }
                v.write(vector.append("]}").toString());
                v.newLine();
            }
        }
    }
}
