package io.modelcast.job.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.options.ModelStoreChoice;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.SilentServer;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * With a model store, a checkpoint holds one small reference to the model per scoring subtask, so
 * its size does not grow with parallelism; without one, every subtask checkpoints the whole model.
 * Asserted on the files of real checkpoints, and printed ({@code [model-store]} lines) as the
 * measurement. {@code -Dmodelcast.checkpointSize.hidden=6250000} (a 50 MB model) and
 * {@code -Dmodelcast.checkpointSize.parallelism=1,4,8} measure other sizes.
 */
class ModelStoreITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Hidden units of the test's ONNX network: 8 bytes each, so 100,000 is a model of 800 kB. */
    private static final int HIDDEN = Integer.getInteger("modelcast.checkpointSize.hidden", 100_000);
    private static final List<Integer> PARALLELISM = Arrays.stream(
            System.getProperty("modelcast.checkpointSize.parallelism", "1,4").split(",")).map(Integer::valueOf).toList();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM.stream().max(Integer::compare).orElse(4)).build());

    @TempDir Path dir;

    @Test
    void aCheckpointHoldsAReferencePerSubtaskNotTheModelSoItsSizeDoesNotGrowWithParallelism() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        float[] first = new float[HIDDEN];
        float[] second = new float[HIDDEN];
        Arrays.fill(first, 1e-3f);
        Arrays.fill(second, 1e-3f);
        // Sigmoid(Relu(x · W1) · W2), one feature: HIDDEN × 8 bytes of weights.
        byte[] onnx = new OnnxGraph("checkpoint_size")
                .input("features", OnnxGraph.FLOAT, "batch", 1)
                .initializer("w1", first, 1, HIDDEN)
                .initializer("w2", second, HIDDEN, 1)
                .node("MatMul", List.of("features", "w1"), List.of("hidden_linear"))
                .node("Relu", List.of("hidden_linear"), List.of("hidden"))
                .node("MatMul", List.of("hidden", "w2"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", OnnxGraph.FLOAT, "batch", 1)
                .toByteArray();
        int modelBytes;
        String sha256;
        try (OnnxModel model = new OnnxModel(onnx, 0.5, null, null)) {
            ModelDirectory.open(models).publish(newest -> model, warning -> {});
            modelBytes = BinaryForm.of(model).length;
            sha256 = ModelStore.sha256(BinaryForm.of(model));
        }

        long[] stored = new long[PARALLELISM.size()];
        long[] inline = new long[PARALLELISM.size()];
        for (int i = 0; i < PARALLELISM.size(); i++) {
            int p = PARALLELISM.get(i);
            stored[i] = checkpointBytes(models, p, Optional.empty(), sha256, modelBytes);
            inline[i] = checkpointBytes(models, p, Optional.of("none"), sha256, modelBytes);
            System.out.printf("[model-store] model of %,d bytes, parallelism %d: checkpoint %,d bytes with the store,"
                    + " %,d bytes without%n", modelBytes, p, stored[i], inline[i]);
        }

        for (int i = 0; i < PARALLELISM.size(); i++) {
            assertThat(stored[i]).as("with the store, parallelism %d", PARALLELISM.get(i)).isLessThan(modelBytes / 4)
                    .isLessThan(stored[0] + 64 * 1024);
            assertThat(inline[i]).as("without the store, parallelism %d", PARALLELISM.get(i))
                    .isGreaterThanOrEqualTo((long) modelBytes * PARALLELISM.get(i));
        }
        try (Stream<Path> copies = Files.list(dir.resolve("checkpoints-store-" + PARALLELISM.get(0)).resolve(ModelStoreChoice.IN_CHECKPOINT_DIRECTORY))) {
            assertThat(copies.map(f -> f.getFileName().toString())).containsExactly(sha256 + ".bin");
        }
    }

    /**
     * Runs the job on a socket that sends nothing until a checkpoint holds the model (by reference
     * with the store: its SHA-256 once per subtask; without: its bytes), and returns that
     * checkpoint's size on disk.
     */
    private long checkpointBytes(Path models, int parallelism, Optional<String> store, String sha256, int modelBytes)
            throws Exception {
        Path checkpoints = dir.resolve("checkpoints-" + (store.isPresent() ? "inline-" : "store-") + parallelism);
        Configuration configuration = new Configuration();
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.enableCheckpointing(200);
        try (SilentServer silent = new SilentServer()) {
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(silent.port()),
                    "--models", models.toString(), "--max-model-bytes", "1GiB", "--input-format", "csv", "--parallelism", Integer.toString(parallelism)));
            store.ifPresent(s -> args.addAll(List.of("--model-store", s)));
            JobOptions options = JobArguments.parse(args.toArray(String[]::new));
            ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                    ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options)).records(),
                    ModelcastJob.modelFiles(env, options));
            outputs.scored().sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("model-store-" + parallelism);
            try {
                long[] size = new long[1];
                Await.until("a checkpoint holds the model on all " + parallelism + " subtasks", TIMEOUT, () -> {
                    Optional<Path> latest = latestCheckpoint(checkpoints);
                    if (latest.isEmpty()) {
                        return false;
                    }
                    byte[] all = allBytes(latest.get());
                    size[0] = all.length;
                    return store.isPresent()
                            ? all.length >= (long) modelBytes * parallelism
                            : occurrences(new String(all, StandardCharsets.ISO_8859_1), sha256) >= parallelism;
                });
                return size[0];
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Optional<Path> latestCheckpoint(Path checkpoints) {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(Comparator.comparingInt(chk -> Integer.parseInt(chk.getFileName().toString().substring("chk-".length()))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every file of a checkpoint directory, one after another. */
    private static byte[] allBytes(Path checkpoint) {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.write(Files.readAllBytes(file));
            }
            return all.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
