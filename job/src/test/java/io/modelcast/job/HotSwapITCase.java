package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
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

import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The job's graph on a MiniCluster, scoring with parallelism 4, while models are published. */
class HotSwapITCase {

    private static final int SCORERS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
    private Collected<RejectedModel> rejectedModels;

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
    void aModelPublishedWhileTheJobRunsIsAppliedByAllFourSubtasks() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        startJob();
        awaitEverySubtaskScoresWith(1);

        directory.publish(newest -> new CustomModel(false), warning -> {});
        awaitEverySubtaskScoresWith(2);

        List<Result> results = scored.snapshot();
        for (int subtask = 0; subtask < SCORERS; subtask++) {
            int s = subtask;
            List<Long> versions = results.stream().filter(r -> r.subtask() == s).map(r -> r.modelVersion()).toList();
            assertThat(versions).as("versions seen by subtask %d, in order", s).isSorted().contains(1L, 2L);
        }
        assertThat(results).allSatisfy(r -> assertThat(r.output())
                .isEqualTo(new CustomModel(r.modelVersion() == 1).transform(Long.parseLong(r.input()))));
    }

    @Test
    void corruptAndHalfWrittenModelFilesAreRejectedWhileTheLastGoodModelKeepsScoring() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        startJob();
        awaitEverySubtaskScoresWith(1);

        // Written aside and renamed, so the watch never sees them empty: these are the files as
        // the job would see a corrupt file and one still being copied.
        placeAtomically("model-2.json", "this is not a model".getBytes(StandardCharsets.UTF_8));
        byte[] whole = new ModelFileCodec().encode(ModelFile.create(3, Instant.now(), new CustomModel(false)));
        placeAtomically("model-3.json", Arrays.copyOf(whole, whole.length / 2));

        Await.until("both bad files are rejected", TIMEOUT, () -> rejectedModels.size() >= 2);
        assertThat(rejectedModels.snapshot())
                .extracting(r -> Path.of(r.file.replace("file:", "")).getFileName() + " " + r.reason)
                .containsExactlyInAnyOrder("model-2.json BAD_JSON", "model-3.json BAD_JSON");

        int seen = scored.size();
        Await.until("200 more records are scored", TIMEOUT, () -> scored.size() >= seen + 200);
        assertThat(scored.snapshot()).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(1));

        ModelFile good = directory.publish(newest -> new CustomModel(false), warning -> {});
        awaitEverySubtaskScoresWith(good.version());
    }

    private void placeAtomically(String name, byte[] content) throws Exception {
        Path temp = Files.write(models.resolve("." + name + ".tmp"), content);
        Files.move(temp, models.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void startJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobOptions options = JobArguments.parse("--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORERS));
        DataStream<LineBatch> numbers = GeneratedLines.numbers(env, 2_000);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(
                options, ScoringPipeline.parseLines(numbers).records(), ModelcastJob.modelFiles(env, options));
        scored = Collected.of(outputs.scored(), "scored");
        rejectedModels = Collected.of(outputs.rejectedModels(), "rejected-models");
        job = env.executeAsync("hot-swap-test");
        scored.start();
        rejectedModels.start();
    }

    private void awaitEverySubtaskScoresWith(long version) throws InterruptedException {
        Subtasks.awaitAllScoreWith(scored, SCORERS, version, TIMEOUT);
    }
}
