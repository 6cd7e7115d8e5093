package io.modelcast.bench;

import io.modelcast.model.BinaryForm;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 6: the size of a checkpoint once every scoring subtask holds a large model, with the
 * model store (broadcast state holds a reference) and without ({@code --model-store none}: every
 * subtask checkpoints the model), at several parallelisms — {@code bench-job}'s
 * {@code CheckpointSizeJob} in a JVM of its own for each.
 */
final class CheckpointSize {

    /** Most a checkpoint with the model store may grow from the first parallelism to the last. */
    static final long GROWTH_TARGET_BYTES = 64 * 1024;

    /** One parallelism's checkpoint sizes, in bytes. */
    record Result(long modelBytes, int parallelism, long withStore, long withoutStore) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointSize() {}

    /** @param hidden hidden units of the one-feature ONNX network measured: 8 bytes of model each */
    static List<Result> measure(Project project, Path work, int hidden, List<Integer> parallelisms, PrintWriter out) throws Exception {
        Path models = Files.createTempDirectory(work, "models-checkpoint-size-");
        long modelBytes;
        try (OnnxModel model = new OnnxModel(network(hidden), 0.5, null, null)) {
            ModelDirectory.open(models).publish(newest -> model, warning -> {});
            modelBytes = BinaryForm.of(model).length;
        }
        List<Result> results = new ArrayList<>();
        for (int parallelism : parallelisms) {
            long with = run(project, work, models, parallelism, false, modelBytes);
            long without = run(project, work, models, parallelism, true, modelBytes);
            out.printf(Locale.ROOT, "model of %,d bytes, parallelism %d: checkpoint %,d bytes with the model store, %,d without%n",
                    modelBytes, parallelism, with, without);
            out.flush();
            results.add(new Result(modelBytes, parallelism, with, without));
        }
        return results;
    }

    /** Whether a checkpoint with the store stays the same size (within {@link #GROWTH_TARGET_BYTES}) at every parallelism. */
    static boolean targetMet(List<Result> results) {
        long least = results.stream().mapToLong(Result::withStore).min().orElse(0);
        long most = results.stream().mapToLong(Result::withStore).max().orElse(0);
        return most - least <= GROWTH_TARGET_BYTES;
    }

    private static long run(Project project, Path work, Path models, int parallelism, boolean inline, long modelBytes) throws Exception {
        String name = "checkpoint-size-p" + parallelism + (inline ? "-inline-" : "-store-") + System.nanoTime();
        List<String> command = project.benchJobCommand("io.modelcast.benchjob.CheckpointSizeJob", work.resolve(name + ".log"), List.of());
        command.addAll(List.of("--models", models.toString(), "--parallelism", Integer.toString(parallelism),
                "--input-format", "csv", "--max-model-bytes", "1GiB",
                "--checkpoints", Files.createDirectories(work.resolve(name)).toString()));
        if (inline) {
            command.addAll(List.of("--model-store", "none", "--expect-bytes", Long.toString(modelBytes * parallelism)));
        }
        Path output = work.resolve(name + ".out");
        Process job = Processes.start(command, output);
        try {
            String result = ThroughputRun.awaitLine(output, "RESULT ", job, Duration.ofMinutes(5));
            return JSON.readTree(result.substring("RESULT ".length())).get("bytes").asLong();
        } finally {
            Processes.stop(job);
        }
    }

    /** Sigmoid(Relu(x · W1) · W2) of one feature: {@code hidden} × 8 bytes of weights. */
    static byte[] network(int hidden) {
        float[] weights = new float[hidden];
        Arrays.fill(weights, 1e-3f);
        return new OnnxGraph("checkpoint_size")
                .input("features", OnnxGraph.FLOAT, "batch", 1)
                .initializer("w1", weights, 1, hidden)
                .initializer("w2", weights, hidden, 1)
                .node("MatMul", List.of("features", "w1"), List.of("hidden_linear"))
                .node("Relu", List.of("hidden_linear"), List.of("hidden"))
                .node("MatMul", List.of("hidden", "w2"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", OnnxGraph.FLOAT, "batch", 1)
                .toByteArray();
    }
}
