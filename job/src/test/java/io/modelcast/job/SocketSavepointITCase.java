package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.NumberServer;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The socket path stops with a savepoint (Flink's legacy socket source cannot) and, restored from
 * it with every model file gone, scores with the model it had.
 */
class SocketSavepointITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path models;
    @TempDir Path savepoints;

    @Test
    void aStopWithSavepointKeepsTheModelInUseForTheRestoredJobEvenOnAnotherSocket() throws Exception {
        NumberServer numbers = new NumberServer();
        try (NumberServer moved = new NumberServer()) {
            ModelDirectory directory = ModelDirectory.open(models);
            directory.publish(newest -> new CustomModel(true), warning -> {});
            directory.publish(newest -> new CustomModel(false), warning -> {});
            JobOptions options = options(numbers.port());

            Run first = start(options, new Configuration());
            Await.until("version 2 scores", TIMEOUT, () -> first.scored.anyMatch(r -> r.modelVersion() == 2));
            String savepoint = first.job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            first.scored.close();
            numbers.close();

            try (DirectoryStream<Path> files = Files.newDirectoryStream(models)) {
                for (Path file : files) {
                    Files.delete(file);
                }
            }
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            // Only the test's collect sink has no uid (GraphTest checks the job's operators do).
            restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            // Restored against another port: the socket's address comes from the options, not the savepoint.
            Run second = start(options(moved.port()), restore);
            try {
                Await.until("the restored job scores 100 records", TIMEOUT, () -> second.scored.size() >= 100);
                List<Result> after = second.scored.snapshot();
                assertThat(after).allSatisfy(r -> {
                    assertThat(r.modelVersion()).isEqualTo(2);
                    assertThat(r.output()).isEqualTo(new CustomModel(false).transform(Long.parseLong(r.input())));
                });
            } finally {
                second.job.cancel().get(60, TimeUnit.SECONDS);
                second.scored.close();
            }
        } finally {
            numbers.close();
        }
    }

    private JobOptions options(int port) {
        return JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", "2");
    }

    private record Run(JobClient job, Collected<Result> scored) {}

    private static Run start(JobOptions options, Configuration configuration) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.enableCheckpointing(500);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options)).records(),
                ModelcastJob.modelFiles(env, options));
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        JobClient job = env.executeAsync("socket-savepoint");
        scored.start();
        return new Run(job, scored);
    }
}
