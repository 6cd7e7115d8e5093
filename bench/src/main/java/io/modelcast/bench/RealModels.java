package io.modelcast.bench;

import io.modelcast.bench.Stats.Distribution;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.Model;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Scenario 5: real models. Records/s of CSV feature vectors through the job's socket graph at
 * parallelism 2, scored by a {@code logistic} model (plain Java) and by the same model exported to
 * ONNX with {@code --batch-size} 1, 64 and 256; and the swap latency of a 10 MB ONNX model (a
 * two-layer network whose first layer holds 2.4 M weights) while the job scores.
 */
final class RealModels {

    /** Features per record: a small tabular model, as the fitter trains. */
    static final int FEATURES = 16;
    /** Floats in the large swap model's constant table: 2,550,000 ≈ 10.2 MB. */
    static final int LARGE_TABLE = 2_550_000;

    /** Hidden units of the large swap model's network. */
    static final int LARGE_HIDDEN = 64;
    static final int PARALLELISM = 2;
    /**
     * A network whose inference costs more than parsing its input: its features, and the units of its
     * two hidden layers. Its weights are read once per call: that is what batching shares.
     */
    record Network(String name, int features, int first, int second) {
        /** Megabytes of weights. */
        double megabytes() {
            return 4.0 * ((long) features * first + (long) first * second + second) / 1e6;
        }
    }

    /** 256 → 1024 → 512: 3 MB of weights, which stay in the processor's cache from call to call. */
    static final Network DEEP = new Network("onnx-deep", 256, 1024, 512);
    /** 1024 → 4096 → 2048: 50 MB of weights, more than the cache holds: each call reads them from memory. */
    static final Network WIDE = new Network("onnx-wide", 1024, 4096, 2048);
    /** What batching should gain on a network: records/s at batch 64 over batch 1. */
    static final double BATCH_TARGET = 5;

    /** One throughput measurement. */
    record Throughput(String model, int batchSize, long records, List<Double> runs, double median) {}

    /** What scenario 5 measured. */
    record Result(List<Throughput> throughput, long largeModelBytes, Distribution largeSwapLastSubtask,
            List<Double> largeSwapMillis, SwapEffects.Summary largeSwapGaps) {}

    /** Records/s fed while the large model is swapped, as the issue of swaps without a stall measures. */
    static final long LARGE_SWAP_RATE = 20_000;

    /** The longest gap between a subtask's results that a swap may cause. */
    static final double GAP_TARGET_MILLIS = 50;

    private RealModels() {}

    static Result measure(Project project, Path work, long records, int repetitions, List<Integer> batchSizes,
            int largePublishes, PrintWriter out) throws Exception {
        Path rows = writeRows(work.resolve("rows.csv"), 1_000, new Random(7));
        List<String> feed = List.of("--file", rows.toString());
        List<Throughput> throughput = repetitions == 0 ? List.of()
                : throughput(project, work, feed, records, repetitions, batchSizes, out);
        byte[][] large = {largeOnnx(new Random(1)), largeOnnx(new Random(2))};
        // Every version is written beforehand and only renamed into place when timed, as the fitter's
        // last step does: encoding a 13.6 MB file here would take this machine's cores from the job
        // just when its stalls are measured.
        Path staged = Files.createTempDirectory(work, "models-large-onnx-staged-");
        ModelDirectory staging = ModelDirectory.open(staged);
        List<ModelFile> versions = new ArrayList<>();
        for (int v = 0; v <= largePublishes; v++) {
            try (OnnxModel model = new OnnxModel(large[v % 2], 0.5, null, null)) {
                versions.add(staging.publish(newest -> model, warning -> {}));
            }
        }
        Path largeModels = Files.createTempDirectory(work, "models-large-onnx-");
        int[] next = {0};
        SwapLatencyRun.Publisher renameNext = directory -> {
            ModelFile version = versions.get(next[0]++);
            String name = ModelDirectory.fileName(version.version());
            Files.move(staged.resolve(name), directory.path().resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return version;
        };
        SwapEffects gaps = new SwapEffects();
        List<SwapLatencyRun.Publish> swaps = SwapLatencyRun.measure(project, work, largeModels, PARALLELISM,
                Duration.ofMillis(500), largePublishes, LARGE_SWAP_RATE, renameNext,
                List.of("--input-format", "csv", "--max-model-bytes", "64MiB"), feed, gaps,
                p -> say(out, "large ONNX model version %d: last subtask after %.0f ms; longest gap between a subtask's results"
                        + " so far in this swap %.1f ms", p.version(), p.lastMillis(), last(gaps.longestPerSwap())));
        List<Double> last = swaps.stream().map(SwapLatencyRun.Publish::lastMillis).toList();
        SwapEffects.Summary gapSummary = gaps.summary();
        say(out, "at %d records/s, during swaps vs otherwise: gaps between a subtask's results longest %.1f / %.1f ms (p99 %.2f / %.2f);"
                + " record latency p50 %.1f / %.1f ms, p99 %.1f / %.1f ms, max %.1f / %.1f ms", LARGE_SWAP_RATE,
                gapSummary.gapsDuringSwaps().maxMillis(), gapSummary.gapsOtherwise().maxMillis(),
                gapSummary.gapsDuringSwaps().p99Millis(), gapSummary.gapsOtherwise().p99Millis(),
                gapSummary.latencyDuringSwaps().p50Millis(), gapSummary.latencyOtherwise().p50Millis(),
                gapSummary.latencyDuringSwaps().p99Millis(), gapSummary.latencyOtherwise().p99Millis(),
                gapSummary.latencyDuringSwaps().maxMillis(), gapSummary.latencyOtherwise().maxMillis());
        return new Result(throughput, large[0].length, Distribution.of(last), last, gapSummary);
    }

    /** The throughput runs: logistic and ONNX at each batch size, then the two networks at batch 1 and 64. */
    private static List<Throughput> throughput(Project project, Path work, List<String> feed, long records, int repetitions,
            List<Integer> batchSizes, PrintWriter out) throws Exception {
        LogisticModel logistic = logistic(new Random(11));
        Path logisticModels = directoryWith(work, "logistic", logistic);
        Path onnxModels;
        try (OnnxModel onnx = new OnnxModel(LogisticOnnxExport.export(logistic), 0.5, null, null)) {
            onnxModels = directoryWith(work, "onnx", onnx);
        }
        List<Throughput> throughput = new ArrayList<>();
        List<Double> logisticRuns = new ArrayList<>();
        List<List<Double>> onnxRuns = new ArrayList<>();
        batchSizes.forEach(b -> onnxRuns.add(new ArrayList<>()));
        for (int run = 0; run < repetitions; run++) {
            // Taking turns, so drifts of a shared machine hit every variant alike.
            logisticRuns.add(ThroughputRun.measure(project, work, "broadcast", PARALLELISM, logisticModels, records,
                    Optional.empty(), List.of("--input-format", "csv"), feed));
            for (int i = 0; i < batchSizes.size(); i++) {
                onnxRuns.get(i).add(ThroughputRun.measure(project, work, "broadcast", PARALLELISM, onnxModels, records,
                        Optional.empty(),
                        List.of("--input-format", "csv", "--batch-size", Integer.toString(batchSizes.get(i))), feed));
            }
            say(out, "run %d: logistic %.0f/s; onnx %s", run + 1, logisticRuns.get(run), onnxSummary(batchSizes, onnxRuns, run));
        }
        throughput.add(new Throughput("logistic", 64, records, logisticRuns, Stats.median(logisticRuns)));
        for (int i = 0; i < batchSizes.size(); i++) {
            throughput.add(new Throughput("onnx", batchSizes.get(i), records, onnxRuns.get(i), Stats.median(onnxRuns.get(i))));
        }
        throughput.addAll(batching(project, work, DEEP, records / 10, repetitions, out));
        throughput.addAll(batching(project, work, WIDE, records / 250, repetitions, out));
        return throughput;

    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }

    /** A network at batch 1 and 64, taking turns: where inference, not parsing, is the cost. */
    private static List<Throughput> batching(Project project, Path work, Network network, long records, int repetitions,
            PrintWriter out) throws Exception {
        Path rows = writeRows(work.resolve("rows-" + network.features() + ".csv"), 1_000, new Random(8), network.features());
        Path models;
        try (OnnxModel model = new OnnxModel(networkOnnx(network, new Random(3)), 0.5, null, null)) {
            models = directoryWith(work, network.name(), model);
        }
        List<Integer> sizes = List.of(1, 64);
        List<List<Double>> runs = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < repetitions; run++) {
            for (int i = 0; i < sizes.size(); i++) {
                runs.get(i).add(ThroughputRun.measure(project, work, "broadcast", PARALLELISM, models, records, Optional.empty(),
                        List.of("--input-format", "csv", "--batch-size", Integer.toString(sizes.get(i)), "--max-model-bytes", "256MiB"),
                        List.of("--file", rows.toString())));
            }
            say(out, "run %d: %s %s", run + 1, network.name(), onnxSummary(sizes, runs, run));
        }
        List<Throughput> result = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            result.add(new Throughput(network.name(), sizes.get(i), records, runs.get(i), Stats.median(runs.get(i))));
        }
        return result;
    }

    /** {@code network}: two hidden layers (ReLU), a sigmoid output. */
    static byte[] networkOnnx(Network network, Random random) {
        return new OnnxGraph(network.name().replace('-', '_'))
                .input("features", OnnxGraph.FLOAT, "batch", network.features())
                .initializer("w1", gaussian(random, network.features() * network.first(), 1 / Math.sqrt(network.features())),
                        network.features(), network.first())
                .initializer("w2", gaussian(random, network.first() * network.second(), 1 / Math.sqrt(network.first())),
                        network.first(), network.second())
                .initializer("w3", gaussian(random, network.second(), 1 / Math.sqrt(network.second())), network.second(), 1)
                .node("MatMul", List.of("features", "w1"), List.of("h1_linear"))
                .node("Relu", List.of("h1_linear"), List.of("h1"))
                .node("MatMul", List.of("h1", "w2"), List.of("h2_linear"))
                .node("Relu", List.of("h2_linear"), List.of("h2"))
                .node("MatMul", List.of("h2", "w3"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", OnnxGraph.FLOAT, "batch", 1)
                .toByteArray();
    }

    private static float[] gaussian(Random random, int size, double scale) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    /** Records/s of {@code network} at batch 64 over batch 1, if both were measured. */
    static Optional<Double> batchGain(List<Throughput> throughput, Network network) {
        Optional<Double> one = throughput.stream().filter(t -> t.model().equals(network.name()) && t.batchSize() == 1)
                .map(Throughput::median).findFirst();
        Optional<Double> many = throughput.stream().filter(t -> t.model().equals(network.name()) && t.batchSize() == 64)
                .map(Throughput::median).findFirst();
        return one.isPresent() && many.isPresent() ? Optional.of(many.get() / one.get()) : Optional.empty();
    }

    private static String onnxSummary(List<Integer> batchSizes, List<List<Double>> runs, int run) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < batchSizes.size(); i++) {
            text.append(String.format(Locale.ROOT, "%sbatch %d %.0f/s", i == 0 ? "" : ", ", batchSizes.get(i), runs.get(i).get(run)));
        }
        return text.toString();
    }

    static LogisticModel logistic(Random random) {
        double[] weights = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            weights[i] = random.nextGaussian() * 0.3;
        }
        return new LogisticModel(weights, 0.1, 0.5, null);
    }

    /** {@code rows} lines of {@link #FEATURES} comma-separated numbers, as {@code fitter gen-data --no-label} writes. */
    static Path writeRows(Path file, int rows, Random random) throws IOException {
        return writeRows(file, rows, random, FEATURES);
    }

    /** {@code rows} lines of {@code features} comma-separated numbers. */
    static Path writeRows(Path file, int rows, Random random, int features) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < features; f++) {
                text.append(f == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 3));
            }
            text.append('\n');
        }
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * A model of about 10 MB that is cheap to run, as a tree ensemble or an embedding table is: a
     * small network {@code Sigmoid(Relu(x · W1) · W2 + ReduceSum(T))}, W1 {@code [16, 64]}, W2 {@code
     * [64, 1]}, with a constant table T of {@value #LARGE_TABLE} floats that ONNX Runtime sums once,
     * when it builds the session. Its size is what loading costs; scoring it stays far below the
     * {@value #LARGE_SWAP_RATE} records/s it is fed while it is swapped, so the figures show the swap,
     * not a backlog (a network of 10 MB of weights — 2.5 M multiply-adds a record — could not keep
     * up on two cores, and every record waited seconds whether a swap ran or not).
     */
    static byte[] largeOnnx(Random random) {
        return new OnnxGraph("large_model")
                .input("features", OnnxGraph.FLOAT, "batch", FEATURES)
                .initializer("w1", gaussian(random, FEATURES * LARGE_HIDDEN, 0.2), FEATURES, LARGE_HIDDEN)
                .initializer("w2", gaussian(random, LARGE_HIDDEN, 0.1), LARGE_HIDDEN, 1)
                .initializer("table", gaussian(random, LARGE_TABLE, 1e-4), LARGE_TABLE)
                .node("MatMul", List.of("features", "w1"), List.of("hidden_linear"))
                .node("Relu", List.of("hidden_linear"), List.of("hidden"))
                .node("MatMul", List.of("hidden", "w2"), List.of("network_logit"))
                .node("ReduceSum", List.of("table"), List.of("offset"))
                .node("Add", List.of("network_logit", "offset"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", OnnxGraph.FLOAT, "batch", 1)
                .toByteArray();
    }

    private static Path directoryWith(Path work, String name, Model model) throws IOException {
        Path models = Files.createTempDirectory(work, "models-" + name + "-");
        ModelDirectory.open(models).publish(newest -> model, warning -> {});
        return models;
    }

    private static void say(PrintWriter out, String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}
