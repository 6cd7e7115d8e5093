package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * ONNX models swapped while the job scores CSV records at parallelism 4, on a MiniCluster: two
 * different ONNX models published in turn, each a new version. Every subtask must apply every
 * version, every result must be what the version it names computes (so no record was scored by the
 * previous, closed session — which would have thrown — or by the wrong one), and every session
 * must be closed once the job is gone.
 */
class OnnxHotSwapITCase {

    private static final int SCORERS = 4;
    private static final int VERSIONS = 30;
    private static final int LINES_PER_BATCH = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Two models that disagree on every input, so a result shows which one produced it. */
    private static final LogisticModel ODD = new LogisticModel(new double[] {1.5, -2.0, 0.25}, 0.1, 0.5, null);
    private static final LogisticModel EVEN = new LogisticModel(new double[] {-0.5, 1.0, 3.0}, -0.3, 0.5, null);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(SCORERS)
                            .build());

    @TempDir Path models;

    private JobClient job;
    private Collected<Result> scored;
    private Collected<RejectedRecord> failures;

    @AfterEach
    void stopJob() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (scored != null) {
            scored.close();
            failures.close();
        }
    }

    @Test
    void everySubtaskSwitchesOnnxModelsUnderLoadAndNoRecordMeetsAClosedSession() throws Exception {
        try (OnnxModel odd = onnx(ODD); OnnxModel even = onnx(EVEN)) {
            swapUnderLoad(odd, even);
        }
    }

    private void swapUnderLoad(OnnxModel odd, OnnxModel even) throws Exception {
        long sessionsBefore = OnnxModel.openSessions();
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> odd, warning -> {});
        startJob();
        awaitEverySubtaskScoresWith(1);

        for (long version = 2; version <= VERSIONS; version++) {
            OnnxModel next = version % 2 == 0 ? even : odd;
            directory.publish(newest -> next, warning -> {});
            awaitEverySubtaskScoresWith(version);
        }

        List<Result> results = scored.snapshot();
        assertThat(failures.snapshot()).as("records a model failed on").isEmpty();
        for (int subtask = 0; subtask < SCORERS; subtask++) {
            int s = subtask;
            List<Long> versions = results.stream().filter(r -> r.subtask() == s).map(r -> r.modelVersion()).toList();
            assertThat(versions).as("versions seen by subtask %d, in order", s).isSorted()
                    .containsAll(LongStream.rangeClosed(1, VERSIONS).boxed().toList());
        }
        double[] expected = new double[1];
        for (Result result : results) {
            (result.modelVersion() % 2 == 0 ? EVEN : ODD).score(features(result.input()), 1, expected);
            assertThat(result.score().getAsDouble()).as("score of %s by version %d", result.input(), result.modelVersion())
                    .isCloseTo(expected[0], within(1e-5));
        }
        assertThat(results.size()).as("records scored while %d versions were swapped in", VERSIONS)
                .isGreaterThan(VERSIONS * SCORERS);

        assertThat(OnnxModel.openSessions() - sessionsBefore)
                .as("sessions open after %d swaps: one per subtask, and one the loader may be validating", VERSIONS)
                .isBetween((long) SCORERS, SCORERS + 1L);
        job.cancel().get();
        job = null;
        Await.until("every ONNX session of the job is closed", TIMEOUT,
                () -> OnnxModel.openSessions() == sessionsBefore);
    }

    private static OnnxModel onnx(LogisticModel model) throws Exception {
        return new OnnxModel(LogisticOnnxExport.export(model), 0.5, null, null);
    }

    private static String csvLine(long i) {
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f", (i % 17) / 4.0 - 2, (i % 13) / 3.0 - 2, (i % 7) / 2.0 - 1.5);
    }

    private static float[] features(String line) {
        String[] parts = line.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }

    private void startJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobOptions options = JobArguments.parse("--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORERS), "--input-format", "csv");
        DataStream<LineBatch> lines = GeneratedLines.of(env, 200, i -> LineBatch.of(IntStream.range(0, LINES_PER_BATCH)
                .mapToObj(k -> csvLine(i * LINES_PER_BATCH + k))
                .toArray(String[]::new)));
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(
                options, ScoringPipeline.parseLines(lines, InputFormat.CSV).records(),
                ModelcastJob.modelFiles(env, options));
        scored = Collected.of(outputs.scored(), "scored");
        failures = Collected.of(outputs.modelFailures(), "model-failures");
        job = env.executeAsync("onnx-hot-swap-test");
        scored.start();
        failures.start();
    }

    private void awaitEverySubtaskScoresWith(long version) throws InterruptedException {
        Subtasks.awaitAllScoreWith(scored, SCORERS, version, TIMEOUT);
    }
}
