package io.modelcast.bench;

import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Scenario 1 alone, for one build or two side by side: socket lines/s of the chained baseline and
 * of the job's broadcast graph ({@code ThroughputJob}). With {@code --against}, each repetition
 * runs every variant on both builds in turn, so the drifts of a shared machine hit both alike; the
 * medians and their ratios are printed at the end.
 */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description = "Socket lines/s of the chained baseline and of the job (scenario 1), for one build or, with"
                + " --against, two builds taking turns; prints each run, the medians and the ratios.")
final class ThroughputCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--against", paramLabel = "DIR", description = "Another built checkout, measured in turn with --root.")
    Path against;

    @Option(names = "--parallelism", defaultValue = "1", description = "Scoring subtasks. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--records", defaultValue = "20000000", description = "Lines per run. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(names = "--repetitions", defaultValue = "3", description = "Runs of each variant on each build. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--variants", split = ",", defaultValue = "baseline,broadcast",
            description = "Which graphs: baseline, hop, broadcast, shadow (the job with a shadow challenger beside"
                    + " its champion), features (the job scoring JSON feature vectors with ids with a logistic model) and"
                    + " labels (features, with the label join), spark (the origin's design on Spark Streaming, local[2]). Default:"
                    + " ${DEFAULT-VALUE}.")
    List<String> variants;

    @Option(names = "--profile", paramLabel = "DIR", description = "Record the first run of each variant on each build"
            + " with JFR into DIR and print where it spent its time.")
    Path profile;

    @Spec CommandSpec spec;

    private static final List<String> VARIANTS = List.of("baseline", "hop", "broadcast", "shadow", "features", "labels", "spark");

    /** Distinct record ids of the feature variants: what the label join keeps state for. */
    private static final int FEATURE_IDS = 10_000;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("modelcast-throughput");
        Path models = Files.createDirectories(work.resolve("models"));
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        Path shadowModels = Files.createDirectories(work.resolve("models-with-shadow"));
        ModelDirectory withShadow = ModelDirectory.open(shadowModels);
        withShadow.publish(newest -> new CustomModel(true), warning -> {});
        withShadow.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                new Rollout.Policy(Long.MAX_VALUE, 1, 1), warning -> {});
        Path featureModels = Files.createDirectories(work.resolve("models-logistic"));
        ModelDirectory.open(featureModels).publish(newest -> new LogisticModel(new double[] {0.5, -0.25, 1, 0.1, -1, 0.3, 0.2, -0.4},
                0.1, 0.5, null), warning -> {});
        Path featureLines = writeFeatureLines(work.resolve("features.jsonl"));
        List<Path> builds = against == null ? List.of(root) : List.of(root, against);
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        out.printf("throughput: parallelism %d, %d lines a run (logs in %s)%n", parallelism, records, work);
        for (int run = 1; run <= repetitions; run++) {
            for (String variant : variants) {
                for (Path build : builds) {
                    Optional<Path> recording = recording(run, variant, builds.indexOf(build));
                    double perSecond = switch (variant) {
                        case "spark" -> ThroughputRun.measureSpark(new Project(build), work, records);
                        case "shadow" -> ThroughputRun.measure(new Project(build), work, "broadcast", parallelism, shadowModels,
                                records, recording);
                        case "features", "labels" -> ThroughputRun.measure(new Project(build), work, "broadcast", parallelism,
                                featureModels, records, recording, featureJobArgs(variant.equals("labels")),
                                List.of("--file", featureLines.toString()));
                        default -> ThroughputRun.measure(new Project(build), work, variant, parallelism, models, records,
                                recording);
                    };
                    if (recording.isPresent()) {
                        JfrProfile recorded = JfrProfile.read(recording.get(), 20);
                        out.printf("%s: %d samples%n  threads %s%n  self %s%n  total %s%n", recording.get().getFileName(),
                                recorded.samples(), recorded.byThread(), recorded.selfByMethod(), recorded.totalByMethod());
                    }
                    runs.computeIfAbsent(key(build, variant), k -> new ArrayList<>()).add(perSecond);
                    out.printf(Locale.ROOT, "run %d %-9s %-40s %.2f M/s%n", run, variant, build, perSecond / 1e6);
                    out.flush();
                }
            }
        }
        for (String variant : variants) {
            double first = Stats.median(runs.get(key(root, variant)));
            out.printf(Locale.ROOT, "median %-9s %-40s %.2f M/s%n", variant, root, first / 1e6);
            if (against != null) {
                double second = Stats.median(runs.get(key(against, variant)));
                out.printf(Locale.ROOT, "median %-9s %-40s %.2f M/s (%s / --against: %.3f)%n", variant, against, second / 1e6,
                        root.getFileName(), first / second);
            }
        }
        return 0;
    }

    /** Where the first run of {@code variant} on build {@code build} is recorded with JFR, with --profile. */
    private Optional<Path> recording(int run, String variant, int build) throws IOException {
        if (profile == null || run != 1) {
            return Optional.empty();
        }
        Files.createDirectories(profile);
        return Optional.of(profile.toAbsolutePath().resolve(variant + "-build" + (build + 1) + ".jfr"));
    }

    /** The job's options of the feature variants; with labels, a label port where nothing listens. */
    private static List<String> featureJobArgs(boolean labels) throws IOException {
        List<String> args = new ArrayList<>(List.of("--input-format", "json"));
        if (labels) {
            args.addAll(List.of("--label-port", Integer.toString(Project.freePort()), "--label-wait", "1m"));
        }
        return args;
    }

    /** {@value #FEATURE_IDS} JSON records with ids and 8 features, the feed of the feature variants. */
    private static Path writeFeatureLines(Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < FEATURE_IDS; i++) {
            lines.append("{\"id\":\"r-").append(i).append("\",\"features\":[");
            for (int j = 0; j < 8; j++) {
                lines.append(j > 0 ? "," : "").append(((i * 31 + j * 17) % 200) / 100.0 - 1);
            }
            lines.append("]}\n");
        }
        return Files.writeString(file, lines);
    }

    /** Rejects, before anything starts, what would otherwise fail half-way through a long comparison. */
    private void checkOptions() {
        List<String> unknown = variants.stream().filter(v -> !VARIANTS.contains(v)).toList();
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "unknown --variants " + unknown + "; choose from " + VARIANTS);
        }
        if (parallelism < 1 || records < 1 || repetitions < 1) {
            throw new ParameterException(spec.commandLine(), "--parallelism, --records and --repetitions must be at least 1");
        }
        for (Path build : against == null ? List.of(root) : List.of(root, against)) {
            if (!Files.isDirectory(build.resolve("bench-job/target"))) {
                throw new ParameterException(spec.commandLine(), build + " is not a built checkout (no bench-job/target; run mvn package there)");
            }
        }
    }

    private static String key(Path build, String variant) {
        return build + " " + variant;
    }
}
