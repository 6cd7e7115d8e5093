package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.model.CustomModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Models published from Python — tools/python/modelcast_publish.py, driven by
 * src/test/resources/python/publish_with_python.py — applied and scored by the running job: a
 * custom model, a logistic model whose numbers Java writes differently from RFC 8785, and an ONNX
 * network built with the {@code onnx} package, whose scores must equal numpy's. A Python file with a
 * wrong checksum is rejected with CHECKSUM_MISMATCH while the model before it keeps scoring.
 * bin/install-python-onnx provides Debian's python3 with onnx and numpy (root or sudo, apt).
 */
class PythonModelsITCase {

    private static final int SCORERS = 2;
    private static final int ROWS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(SCORERS).build());

    private static String python;

    @TempDir Path models;
    @TempDir Path work;

    private JobClient job;
    private Collected<Result> scored;
    private Collected<RejectedModel> rejectedModels;

    @BeforeAll
    static void installPython() throws Exception {
        Run install = run(List.of(ROOT.resolve("bin/install-python-onnx").toString()), Duration.ofMinutes(10),
                Files.createTempFile("install-python-onnx", ".out"));
        assertThat(install.exitCode()).as(install.output()).isZero();
        List<String> lines = install.output().lines().toList();
        python = lines.get(lines.size() - 1).trim();
    }

    @AfterEach
    void stopJob() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (scored != null) {
            scored.close();
            rejectedModels.close();
        }
    }

    @Test
    void aCustomModelFromPythonScoresAsTheSeedSays() throws Exception {
        publish("custom", "true");
        startJob(GeneratedLines.numbers(StreamExecutionEnvironment.getExecutionEnvironment(), 2_000), InputFormat.INT);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 1, TIMEOUT);

        publish("custom", "false");
        Subtasks.awaitAllScoreWith(scored, SCORERS, 2, TIMEOUT);

        assertThat(scored.snapshot()).allSatisfy(r -> assertThat(r.output())
                .isEqualTo(new CustomModel(r.modelVersion() == 1).transform(Long.parseLong(r.input()))));
    }

    @Test
    void logisticAndOnnxModelsFromPythonScoreAsPythonComputes() throws Exception {
        Path rows = work.resolve("rows.csv");
        Files.write(rows, IntStream.range(0, ROWS).mapToObj(PythonModelsITCase::csvRow).toList());
        Map<String, Double> logistic = expectedScores("logistic", rows);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        startJob(GeneratedLines.of(env, 200, i -> LineBatch.of(IntStream.range(0, 8)
                .mapToObj(k -> csvRow((int) ((i * 8 + k) % ROWS))).toArray(String[]::new))), InputFormat.CSV);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 1, TIMEOUT);

        Map<String, Double> onnx = expectedScores("onnx", rows);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 2, TIMEOUT);

        publish("wrong-checksum");
        Await.until("the file with a wrong checksum is rejected", TIMEOUT, () -> rejectedModels.size() >= 1);
        assertThat(rejectedModels.snapshot()).singleElement().satisfies(r -> {
            assertThat(r.file).endsWith("model-3.json");
            assertThat(r.reason).isEqualTo("CHECKSUM_MISMATCH");
        });
        int seen = scored.size();
        Await.until("100 more records are scored", TIMEOUT, () -> scored.size() >= seen + 100);

        List<Result> results = scored.snapshot();
        assertThat(results).extracting(Result::modelVersion).containsOnly(1L, 2L).contains(1L, 2L);
        for (Result result : results) {
            // Features are floats in the job; Python's logistic used doubles, the network float32 as ONNX Runtime.
            double expected = (result.modelVersion() == 1 ? logistic : onnx).get(result.input());
            assertThat(result.score().getAsDouble()).as("score of %s by version %d", result.input(), result.modelVersion())
                    .isCloseTo(expected, within(result.modelVersion() == 1 ? 1e-6 : 1e-5));
        }
    }

    private static String csvRow(int i) {
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f", (i % 7) / 2.0 - 1.5, (i % 5) * 0.75 - 1.4, i * 0.125 - 2);
    }

    /** Publishes a model of {@code kind} from Python; returns the scores numpy expects, by CSV row. */
    private Map<String, Double> expectedScores(String kind, Path rows) throws Exception {
        Path expectedFile = work.resolve(kind + "-expected.json");
        publish(kind, rows.toString(), expectedFile.toString());
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        List<String> lines = Files.readAllLines(rows);
        Map<String, Double> byRow = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            byRow.put(lines.get(i), expected.get("scores").get(i).doubleValue());
        }
        return byRow;
    }

    private void publish(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(python,
                ROOT.resolve("job/src/test/resources/python/publish_with_python.py").toString(), models.toString()));
        command.addAll(List.of(arguments));
        Run published = run(command, Duration.ofMinutes(2), work.resolve("python.out"));
        assertThat(published.exitCode()).as(published.output()).isZero();
    }

    private void startJob(DataStream<LineBatch> lines, InputFormat format) throws Exception {
        StreamExecutionEnvironment env = (StreamExecutionEnvironment) lines.getExecutionEnvironment();
        JobOptions options = JobArguments.parse("--models", models.toString(), "--model-poll-interval", "100ms",
                "--parallelism", Integer.toString(SCORERS), "--input-format", format.name().toLowerCase(Locale.ROOT));
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(
                options, ScoringPipeline.parseLines(lines, format).records(), ModelcastJob.modelFiles(env, options));
        scored = Collected.of(outputs.scored(), "scored");
        rejectedModels = Collected.of(outputs.rejectedModels(), "rejected-models");
        job = env.executeAsync("python-models-test");
        scored.start();
        rejectedModels.start();
    }

    private record Run(int exitCode, String output) {}

    private static Run run(List<String> command, Duration timeout, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("MODELCAST_TOOLS_PYTHON", ROOT.resolve("tools/python").toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeout);
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
