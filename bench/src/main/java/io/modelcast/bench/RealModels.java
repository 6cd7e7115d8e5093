package io.modelcast.bench;

import io.modelcast.bench.Stats.Distribution;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.Model;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** Hidden units of the large swap model: 16 × 150,000 + 150,000 floats ≈ 10.2 MB of weights. */
    static final int HIDDEN = 150_000;
    static final int PARALLELISM = 2;

    /** One throughput measurement. */
    record Throughput(String model, int batchSize, long records, List<Double> runs, double median) {}

    /** What scenario 5 measured. */
    record Result(List<Throughput> throughput, long largeModelBytes, Distribution largeSwapLastSubtask,
            List<Double> largeSwapMillis) {}

    private RealModels() {}

    static Result measure(Project project, Path work, long records, int repetitions, List<Integer> batchSizes,
            int largePublishes, PrintWriter out) throws Exception {
        Path rows = writeRows(work.resolve("rows.csv"), 1_000, new Random(7));
        LogisticModel logistic = logistic(new Random(11));
        Path logisticModels = directoryWith(work, "logistic", logistic);
        Path onnxModels;
        try (OnnxModel onnx = new OnnxModel(LogisticOnnxExport.export(logistic), 0.5, null, null)) {
            onnxModels = directoryWith(work, "onnx", onnx);
        }
        List<String> feed = List.of("--file", rows.toString());
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

        byte[][] large = {largeOnnx(new Random(1)), largeOnnx(new Random(2))};
        Path largeModels = Files.createTempDirectory(work, "models-large-onnx-");
        long[] published = {0};
        List<SwapLatencyRun.Publish> swaps = SwapLatencyRun.measure(project, work, largeModels, PARALLELISM,
                Duration.ofMillis(500), largePublishes, 200,
                directory -> {
                    published[0]++;
                    try (OnnxModel model = new OnnxModel(large[(int) (published[0] % 2)], 0.5, null, null)) {
                        return directory.publish(newest -> model, warning -> {});
                    } catch (InvalidParametersException e) {
                        throw new IOException(e);
                    }
                },
                List.of("--input-format", "csv", "--max-model-bytes", "64MiB"), feed,
                p -> say(out, "large ONNX model version %d: last subtask after %.0f ms", p.version(), p.lastMillis()));
        List<Double> last = swaps.stream().map(SwapLatencyRun.Publish::lastMillis).toList();
        return new Result(throughput, large[0].length, Distribution.of(last), last);
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
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < FEATURES; f++) {
                text.append(f == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 3));
            }
            text.append('\n');
        }
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * A two-layer network of about 10 MB: {@code Sigmoid(Relu(x · W1) · W2)}, W1 {@code [16, 150000]},
     * W2 {@code [150000, 1]}.
     */
    static byte[] largeOnnx(Random random) {
        float[] first = new float[FEATURES * HIDDEN];
        for (int i = 0; i < first.length; i++) {
            first[i] = (float) (random.nextGaussian() * 0.05);
        }
        float[] second = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            second[i] = (float) (random.nextGaussian() * 0.001);
        }
        return new OnnxGraph("large_network")
                .input("features", OnnxGraph.FLOAT, "batch", FEATURES)
                .initializer("w1", first, FEATURES, HIDDEN)
                .initializer("w2", second, HIDDEN, 1)
                .node("MatMul", List.of("features", "w1"), List.of("hidden_linear"))
                .node("Relu", List.of("hidden_linear"), List.of("hidden"))
                .node("MatMul", List.of("hidden", "w2"), List.of("logit"))
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
