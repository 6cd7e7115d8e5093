package io.modelcast.job.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.InputFormat;
import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GatedLinesServer;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.repository.ModelRepository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Drift on a MiniCluster: two names share a model trained on standard-normal features; one is fed
 * data like its training data, the other data whose first feature moved by three standard
 * deviations. Only the second gives drift records, naming the first feature and the score.
 */
class DriftITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LogisticModel MODEL = new LogisticModel(new double[] {1.5, -0.5}, 0, 0.5, null);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path models;

    @Test
    void onlyTheNameWhoseInputsMovedGivesDriftRecords() throws Exception {
        Random random = new Random(11);
        Profile profile = trainingProfile(random);
        ModelRepository repository = ModelRepository.open(models);
        repository.directory("steady").publish(newest -> MODEL, new TrainingFacts(Optional.of(profile), Optional.empty()), warning -> {});
        repository.directory("shifted").publish(newest -> MODEL, new TrainingFacts(Optional.of(profile), Optional.empty()), warning -> {});
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            boolean shifted = i % 2 == 1;
            double a = random.nextGaussian() + (shifted ? 3 : 0);
            double b = random.nextGaussian();
            lines.add(String.format(Locale.ROOT, "{\"id\":\"d-%d\",\"model\":\"%s\",\"features\":[%s,%s]}", i,
                    shifted ? "shifted" : "steady", (float) a, (float) b));
        }

        try (GatedLinesServer server = GatedLinesServer.repeating(lines, 100); Run run = start(server.port())) {
            server.release();
            Await.until("two windows of drift records of the shifted name", TIMEOUT,
                    () -> run.drift.snapshot().stream().filter(line -> line.contains("\"shifted\"")).count() >= 2);

            for (String line : run.drift.snapshot()) {
                JsonNode record = JSON.readTree(line);
                assertThat(record.get("model").asText()).as("only the shifted name drifts: %s", line).isEqualTo("shifted");
                assertThat(record.get("featurePsi").get(0).asDouble()).as("feature 0 moved").isGreaterThan(1);
                assertThat(record.get("featurePsi").get(1).asDouble()).as("feature 1 did not").isLessThan(0.2);
                assertThat(record.get("drifted")).extracting(JsonNode::asText).contains("f0", "score").doesNotContain("f1");
                assertThat(record.get("records").asLong()).isPositive();
                assertThat(record.get("windowEnd").asLong() - record.get("windowStart").asLong()).isEqualTo(1_000);
            }
        }
    }

    /** The profile of 10,000 standard-normal training rows and the model's scores on them. */
    private static Profile trainingProfile(Random random) {
        int n = 10_000;
        float[] rows = new float[2 * n];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) random.nextGaussian();
        }
        double[] scores = new double[n];
        MODEL.score(rows, n, scores);
        return Profile.of(rows, 2, scores);
    }

    @SuppressWarnings("try")
    private record Run(JobClient job, Collected<String> drift) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            job.cancel().get(60, TimeUnit.SECONDS);
            drift.close();
        }
    }

    private Run start(int port) throws Exception {
        JobOptions options = JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", "2", "--input-format", "json", "--drift-window", "1s",
                "--checkpoint-interval", "500ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.configure(env, options);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options), InputFormat.JSON).records(),
                ModelcastJob.modelFiles(env, options));
        Collected<String> drift = Collected.of(outputs.drift(), "drift");
        JobClient job = env.executeAsync("drift");
        drift.start();
        return new Run(job, drift);
    }
}
