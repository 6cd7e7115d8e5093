package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.modelupdates.LoadModel;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The model lifecycle on a MiniCluster, observed the way an operator would: the job's outputs and
 * its metrics through the REST API — every kind of bad model file refused with its reason while the
 * last good model keeps scoring, rollback, stale results, and 10,000 versions with bounded state.
 */
class ModelLifecycleITCase {

    private static final int SCORERS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final boolean CHECKPOINTED = true;
    private static final Set<String> LOADER_METRICS = Set.of("modelsAccepted", "modelsRejected", "lastModelVersionSeen");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(SCORERS)
                            .build());

    @TempDir Path models;
    @TempDir Path checkpoints;

    private JobClient job;
    private Collected<Result> scored;
    private Collected<Result> stale;
    private Collected<RejectedModel> rejectedModels;

    private static Configuration clusterConfiguration() {
        Configuration configuration = new Configuration();
        configuration.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        // Keep every checkpoint, so the one a test triggered is still there when it reads it.
        configuration.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 10_000);
        return configuration;
    }

    @AfterEach
    void stopJob() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        for (Collected<?> collected : new Collected<?>[] {scored, stale, rejectedModels}) {
            if (collected != null) {
                collected.close();
            }
        }
    }

    @Test
    void everyKindOfBadModelIsRejectedWithItsReasonWhileTheLastGoodOneKeepsScoring(@InjectClusterRESTAddress URI rest)
            throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(false), warning -> {});
        directory.publish(newest -> new CustomModel(true), warning -> {});
        // Set aside, to be copied back later: an old version reappearing.
        Path aside = Files.move(models.resolve("model-1.json"), models.resolve(".model-1.json.aside"));
        startJob(options("--max-model-bytes", Long.toString(BadModelFile.SIZE_LIMIT)));
        awaitEverySubtaskScoresWith(2);

        List<String> expected = new ArrayList<>();
        long version = 3;
        for (BadModelFile bad : BadModelFile.values()) {
            String name = ModelDirectory.fileName(version);
            placeAtomically(name, bad.bytes(version++));
            expected.add(name + " " + bad.reason());
            awaitRejected(expected.size());
        }
        Files.move(aside, models.resolve("model-1.json"), StandardCopyOption.ATOMIC_MOVE);
        expected.add("model-1.json " + LoadModel.NOT_NEWER);
        awaitRejected(expected.size());

        assertThat(rejectedModels.snapshot())
                .extracting(r -> fileName(r.file) + " " + r.reason)
                .containsExactlyElementsOf(expected);
        assertThat(rejectedModels.snapshot()).allSatisfy(r -> assertThat(r.message).contains(fileName(r.file)));
        int seen = scored.size();
        Await.until("200 more records are scored", TIMEOUT, () -> scored.size() >= seen + 200);
        assertThat(scored.snapshot()).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(2));
        awaitMetric(rest, "modelsRejected", expected.size());
        awaitMetric(rest, "modelsAccepted", 1);

        // The next good file is applied everywhere, and no rejected file is read again.
        ModelFile good = directory.publish(newest -> new CustomModel(false), warning -> {});
        assertThat(good.version()).isEqualTo(version);
        awaitEverySubtaskScoresWith(good.version());
        awaitMetric(rest, "modelsAccepted", 2);
        assertThat(rejectedModels.size()).isEqualTo(expected.size());
    }

    @Test
    void afterARollbackEverySubtaskScoresWithTheOldParametersUnderANewVersion() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publish(newest -> new CustomModel(false), warning -> {});
        startJob(options());
        awaitEverySubtaskScoresWith(2);

        ModelFile rolledBack = directory.rollback(warning -> {});

        assertThat(rolledBack.version()).isEqualTo(3);
        assertThat(rolledBack.promotedFrom()).hasValue(1);
        awaitEverySubtaskScoresWith(3);
        List<Result> byVersion3 = scored.snapshot().stream().filter(r -> r.modelVersion() == 3).toList();
        assertThat(byVersion3).isNotEmpty().allSatisfy(r -> assertThat(r.output())
                .isEqualTo(new CustomModel(true).transform(Long.parseLong(r.input()))));
    }

    @Test
    void theMetricsShowWhichVersionEachSubtaskScoresWithAndMove(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        startJob(options());
        awaitEverySubtaskScoresWith(1);
        awaitMetric(rest, "modelVersion", 1);
        awaitMetric(rest, "modelSwaps", 1);
        Await.until("recordsScored is reported", TIMEOUT, () -> total(rest, "recordsScored") > 0);
        double scoredBefore = total(rest, "recordsScored");

        directory.publish(newest -> new CustomModel(false), warning -> {});

        awaitMetric(rest, "modelVersion", 2);
        awaitMetric(rest, "modelSwaps", 2);
        awaitMetric(rest, "lastModelVersionSeen", 2);
        awaitMetric(rest, "modelsAccepted", 2);
        Await.until("recordsScored grows", TIMEOUT, () -> total(rest, "recordsScored") > scoredBefore);
        Await.until("the scoring time histogram has samples on every subtask", TIMEOUT, () -> {
            Map<Integer, Double> slowest = metric(rest, "scoringTimeNanos_max");
            return slowest.size() == SCORERS && slowest.values().stream().allMatch(nanos -> nanos > 0);
        });
        Map<Integer, Double> ages = metric(rest, "modelAgeMs");
        Map<Integer, Double> pending = metric(rest, "recordsPending");
        assertThat(ages).hasSize(SCORERS).allSatisfy((subtask, age) -> assertThat(age).isBetween(0.0, 60_000.0));
        assertThat(pending).hasSize(SCORERS).allSatisfy((subtask, count) -> assertThat(count).isZero());
    }

    @Test
    void resultsOfAModelOlderThanTheMaximumAgeGoToTheStaleOutput() throws Exception {
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        ModelDirectory.open(models, new ModelFileCodec(), anHourAgo).publish(newest -> new CustomModel(true), warning -> {});
        startJob(options("--max-model-age", "10m"));

        Await.until("stale results of version 1 on every subtask", TIMEOUT, () -> IntStream.range(0, SCORERS)
                .allMatch(s -> stale.anyMatch(r -> r.subtask() == s && r.modelVersion() == 1)));
        assertThat(stale.snapshot()).allSatisfy(r -> assertThat(r.modelAgeMs()).isGreaterThan(Duration.ofMinutes(59).toMillis()));
        assertThat(scored.size()).isZero();

        ModelDirectory.open(models).publish(newest -> new CustomModel(false), warning -> {});
        awaitEverySubtaskScoresWith(2);
        assertThat(scored.snapshot()).allSatisfy(r -> {
            assertThat(r.modelVersion()).isEqualTo(2);
            assertThat(r.modelAgeMs()).isLessThan(Duration.ofMinutes(10).toMillis());
        });
    }

    @Test
    void startingOverADirectoryOfTenThousandVersionsBroadcastsOnlyTheNewest(@InjectClusterRESTAddress URI rest)
            throws Exception {
        publishDirectly(1, 10_000);

        long submitted = System.nanoTime();
        startJob(options());
        awaitEverySubtaskScoresWith(10_000);
        long startupMillis = (System.nanoTime() - submitted) / 1_000_000;

        System.out.printf("[10,000 versions] start-up over a directory of 10,000 model files, from submission to"
                + " every subtask scoring with the newest: %d ms%n", startupMillis);
        awaitMetric(rest, "modelsAccepted", 1);
        awaitMetric(rest, "modelSwaps", 1);
        assertThat(scored.snapshot()).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(10_000));
        assertThat(rejectedModels.size()).isZero();
    }

    @Test
    void tenThousandVersionsPublishedIntoARunningJobDoNotGrowItsCheckpointedState(
            @InjectClusterRESTAddress URI rest, @InjectMiniCluster MiniCluster cluster) throws Exception {
        publishDirectly(1, 1);
        startJob(options("--model-poll-interval", "20ms"), CHECKPOINTED);
        awaitEverySubtaskScoresWith(1);
        long stateAfterOne = modelSourceStateBytes(rest, cluster);

        long publishing = System.nanoTime();
        publishDirectly(2, 10_001);
        long publishMillis = (System.nanoTime() - publishing) / 1_000_000;
        awaitEverySubtaskScoresWith(10_001);
        long stateAfterTenThousand = modelSourceStateBytes(rest, cluster);
        awaitMetric(rest, "lastModelVersionSeen", 10_001);
        Map<Integer, Double> swaps = metric(rest, "modelSwaps");
        Map<Integer, Double> accepted = metric(rest, "modelsAccepted");

        System.out.printf("[10,000 versions] checkpointed model-source state (enumerator + reader): %d bytes after 1"
                        + " version, %d bytes after 10,000 more (published in %d ms with a 20 ms poll);"
                        + " models accepted: %s, swaps per subtask: %s%n",
                stateAfterOne, stateAfterTenThousand, publishMillis, accepted, swaps);
        assertThat(stateAfterTenThousand).isLessThan(64 * 1024);
        // Not a byte per version: at most one pending split of paths more than after one version.
        assertThat(stateAfterTenThousand - stateAfterOne).isLessThan(4 * 1024);
        assertThat(rejectedModels.size()).isZero();
        // Files that appear between two listings are read newest first, so most versions are never
        // read at all: far fewer swaps than versions.
        assertThat(swaps).hasSize(SCORERS).allSatisfy((subtask, count) -> assertThat(count).isLessThan(2_000));
    }

    // --- helpers -----------------------------------------------------------------------------

    /** The options of this test's jobs: its model directory and scorers, a 100 ms poll, and {@code more}. */
    private JobOptions options(String... more) {
        List<String> args = new ArrayList<>(List.of("--models", models.toString(), "--parallelism", Integer.toString(SCORERS)));
        if (!List.of(more).contains("--model-poll-interval")) {
            args.addAll(List.of("--model-poll-interval", "100ms"));
        }
        args.addAll(List.of(more));
        return JobArguments.parse(args.toArray(String[]::new));
    }

    private void startJob(JobOptions options) throws Exception {
        startJob(options, !CHECKPOINTED);
    }

    /**
     * Starts the job's graph with a generated input. A checkpointed job delivers collected results
     * only once a checkpoint completes (every 500 ms here), so only the state test checkpoints.
     */
    private void startJob(JobOptions options, boolean checkpointed) throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        if (checkpointed) {
            env.enableCheckpointing(500);
        }
        DataStream<LineBatch> numbers = GeneratedLines.numbers(env, 1_000);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(
                options, ScoringPipeline.parseLines(numbers).records(), ModelcastJob.modelFiles(env, options));
        scored = Collected.of(outputs.scored(), "scored");
        stale = Collected.of(outputs.stale(), "stale");
        rejectedModels = Collected.of(outputs.rejectedModels(), "rejected-models");
        job = env.executeAsync("model-lifecycle-test");
        scored.start();
        stale.start();
        rejectedModels.start();
    }

    private void placeAtomically(String name, byte[] content) throws IOException {
        Path temp = Files.write(models.resolve("." + name + ".tmp"), content);
        Files.move(temp, models.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Publishes versions as fast as the file system allows: write aside, rename, no fsync. */
    private void publishDirectly(long from, long to) throws IOException {
        for (long version = from; version <= to; version++) {
            placeAtomically(ModelDirectory.fileName(version), TestModels.fileBytes(version, version % 2 == 1));
        }
    }

    private void awaitRejected(int count) throws InterruptedException {
        Await.until(count + " rejected model files", TIMEOUT, () -> rejectedModels.size() >= count);
    }

    private void awaitEverySubtaskScoresWith(long version) throws InterruptedException {
        Subtasks.awaitAllScoreWith(scored, SCORERS, version, TIMEOUT);
    }

    private Map<Integer, Double> metric(URI rest, String name) {
        try {
            return JobMetrics.operatorMetric(rest, job.getJobID(), name);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private double total(URI rest, String name) {
        return metric(rest, name).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Waits until the metric is {@code value} on every subtask of its operator (scoring: all of them). */
    private void awaitMetric(URI rest, String name, double value) throws InterruptedException {
        int subtasks = LOADER_METRICS.contains(name) ? 1 : SCORERS;
        Await.until(name + " = " + value + " on " + subtasks + " subtask(s)", TIMEOUT, () -> {
            Map<Integer, Double> values = metric(rest, name);
            return values.size() == subtasks && values.values().stream().allMatch(v -> v == value);
        });
    }

    /**
     * Takes a checkpoint and reads, from its metadata, the size of everything the model source
     * checkpointed: its enumerator's state (held by the JobManager) and its reader's.
     */
    private long modelSourceStateBytes(URI rest, MiniCluster cluster) throws Exception {
        JobID id = job.getJobID();
        String checkpoint = cluster.triggerCheckpoint(id).get();
        OperatorID source = OperatorID.fromJobVertexID(
                JobVertexID.fromHexString(JobMetrics.vertexId(rest, id, "Source: Model files in")));
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(Path.of(URI.create(checkpoint)).resolve("_metadata"))) {
            metadata = Checkpoints.loadCheckpointMetadata(new DataInputStream(in), getClass().getClassLoader(), checkpoint);
        }
        OperatorState state = metadata.getOperatorStates().stream()
                .filter(s -> s.getOperatorID().equals(source))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no state for the model source in " + checkpoint));
        long coordinator = state.getCoordinatorState() == null ? 0 : state.getCoordinatorState().getStateSize();
        long subtasks = state.getSubtaskStates().values().stream().mapToLong(s -> s.getStateSize()).sum();
        assertThat(coordinator).as("the enumerator's state is checkpointed").isPositive();
        return coordinator + subtasks;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
