package io.modelcast.job.score;

import static io.modelcast.job.TestModels.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.ProbeFailingModelType;
import io.modelcast.job.InputFormat;
import io.modelcast.job.SlowBuildModelType;
import io.modelcast.job.modelupdates.ModelRecovery;
import io.modelcast.job.store.ModelBytes;
import io.modelcast.job.store.ModelStore;
import io.modelcast.job.TestModels;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.ModelName;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

class ScoreWithLiveModelsTest {

    /** Large enough to be built off the task thread. */
    private static final int LARGE = ScoreWithLiveModels.BUILD_OFF_THREAD_BYTES;

    @BeforeAll
    static void registerTestModelTypes() {
        SlowBuildModelType.register();
    }

    private BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void scoresWithTheModelAndStampsItsVersion() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(1, true), 0);

        harness.processElement(input(7), 0);

        assertThat(results()).containsExactly("7 070707 1 0");
    }

    @Test
    void newerModelReplacesTheOldOneFromTheNextRecordOn() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(1, true), 0);
        harness.processElement(input(7), 0);

        harness.processBroadcastElement(update(2, false), 0);
        harness.processElement(input(8), 0);

        assertThat(results())
                .containsExactly("7 070707 1 0", "8 08 2 0");
    }

    @Test
    void olderOrRepeatedVersionsAreIgnored() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(5, true), 0);

        harness.processBroadcastElement(update(3, false), 0);
        harness.processBroadcastElement(update(5, false), 0);
        harness.processElement(input(1), 0);

        assertThat(results()).containsExactly("1 010101 5 0");
        assertThat(harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT).version())
                .isEqualTo(5);
    }

    @Test
    void recordsBeforeTheFirstModelAreHeldThenScoredInOrderWhenItArrives() throws Exception {
        harness = open(100);
        harness.processElement(input(3), 0);
        harness.processElement(input(1), 0);
        harness.processElement(input(2), 0);
        assertThat(ScorerResults.of(harness)).isEmpty();

        harness.processBroadcastElement(update(1, false), 0);
        harness.processElement(input(4), 0);

        assertThat(ScorerResults.of(harness))
                .extracting(r -> r.input())
                .containsExactly("3", "1", "2", "4");
        assertThat(ScorerResults.of(harness)).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(1));
    }

    @Test
    void theResultsOfACallLeaveInListsOfAtMostAChunkInOrder() throws Exception {
        harness = open(100);
        harness.processElement(input(9), 0);
        harness.processBroadcastElement(update(1, false), 0);
        harness.processElement(inputs(1, 2, 3), 0);
        long[] many = new long[ResultsOfOneCall.CHUNK + 1];
        Arrays.setAll(many, i -> 100 + i);
        harness.processElement(inputs(many), 0);

        // One list for the held input the model released, one for the batch, and a batch larger
        // than a chunk in two: a record copy per output per list, not per result (see ResultsOfOneCall).
        assertThat(harness.extractOutputValues()).extracting(List::size)
                .containsExactly(1, 3, ResultsOfOneCall.CHUNK, 1);
        assertThat(ScorerResults.of(harness)).extracting(Result::input).startsWith("9", "1", "2", "3", "100")
                .endsWith(Long.toString(100 + ResultsOfOneCall.CHUNK));
    }

    @Test
    void recordsBeyondMaxPendingGoToTheNoModelYetOutput() throws Exception {
        harness = open(2);
        for (int i = 0; i < 5; i++) {
            harness.processElement(input(i), 0);
        }

        assertThat(values(harness.getSideOutput(Descriptors.NO_MODEL_YET)))
                .extracting(r -> r.input)
                .containsExactly("2", "3", "4");
        assertThat(values(harness.getSideOutput(Descriptors.NO_MODEL_YET)))
                .allSatisfy(r -> assertThat(r.reason).startsWith("no model yet").contains("--max-pending"));

        harness.processBroadcastElement(update(1, false), 0);
        assertThat(ScorerResults.of(harness)).extracting(r -> r.input()).containsExactly("0", "1");
    }

    @Test
    void snapshotAndRestoreKeepTheModelAndTheHeldRecords() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(4, true), 0);
        OperatorSubtaskState withModel = harness.snapshot(1, 1);
        harness.close();

        harness = restore(withModel, 100);
        harness.processElement(input(9), 0);
        assertThat(results()).containsExactly("9 090909 4 0");
        harness.close();

        harness = open(100);
        harness.processElement(input(5), 0);
        harness.processElement(input(6), 0);
        OperatorSubtaskState withHeldRecords = harness.snapshot(2, 2);
        harness.close();

        harness = restore(withHeldRecords, 100);
        harness.processBroadcastElement(update(1, false), 0);
        assertThat(results())
                .containsExactly("5 05 1 0", "6 06 1 0");
    }

    @Test
    void afterARestoreOnlyANewerModelReplacesTheRestoredOne() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(4, true), 0);
        OperatorSubtaskState state = harness.snapshot(1, 1);
        harness.close();

        harness = restore(state, 100);
        harness.processBroadcastElement(update(3, false), 0);
        harness.processElement(input(1), 0);
        harness.processBroadcastElement(update(5, false), 0);
        harness.processElement(input(2), 0);

        assertThat(results())
                .containsExactly("1 010101 4 0", "2 02 5 0");
    }

    @Test
    void anUpdateThatCannotBeBuiltLeavesTheCurrentModelInPlace() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(1, true), 0);
        ValidatedModel damaged = new ValidatedModel(2, "custom", 0, "models/model-2.json", "{ not a model".getBytes());

        harness.processBroadcastElement(damaged, 0);
        harness.processElement(input(7), 0);

        assertThat(results()).containsExactly("7 070707 1 0");
        assertThat(harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT).version())
                .isEqualTo(1);
    }

    @Test
    void eachResultCarriesTheAgeOfItsModel() throws Exception {
        harness = open(100);
        ValidatedModel update = TestModels.update(1, System.currentTimeMillis() - 60_000, new CustomModel(true));
        harness.processBroadcastElement(update, 0);

        harness.processElement(input(7), 0);

        assertThat(ScorerResults.of(harness)).singleElement()
                .satisfies(r -> assertThat(r.modelAgeMs()).isBetween(60_000L, 60_000L + 60_000L));
    }

    @Test
    void resultsOfAModelOlderThanTheMaximumAgeGoToTheStaleOutput() throws Exception {
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ScoreWithLiveModels(100, ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.of(Optional.of(Duration.ofSeconds(30))), 64, ModelName.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(1)), Descriptors.MODELS);
        ValidatedModel old = TestModels.update(1, System.currentTimeMillis() - 3_600_000, new CustomModel(true));
        harness.processBroadcastElement(old, 0);
        harness.processElement(input(7), 0);
        ValidatedModel fresh = TestModels.update(2, System.currentTimeMillis(), new CustomModel(false));
        harness.processBroadcastElement(fresh, 0);
        harness.processElement(input(8), 0);

        assertThat(results()).containsExactly("8 08 2 0");
        assertThat(harness.getSideOutput(Descriptors.STALE)).singleElement()
                .satisfies(r -> {
                    assertThat(r.getValue().output()).isEqualTo("070707");
                    assertThat(r.getValue().modelVersion()).isEqualTo(1);
                    assertThat(r.getValue().modelAgeMs()).isGreaterThanOrEqualTo(3_600_000L);
                });
    }

    @Test
    void aBatchIsScoredInputByInputInOrder() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(update(1, false), 0);

        harness.processElement(inputs(3, 14, 159), 0);

        assertThat(results()).containsExactly("3 03 1 0", "14 14 1 0", "159 159 1 0");
    }

    @Test
    void whenABatchOverflowsMaxPendingItsFirstInputsAreHeldAndTheRestSetAside() throws Exception {
        harness = open(3);
        harness.processElement(inputs(1, 2), 0);
        harness.processElement(inputs(3, 4, 5), 0);

        assertThat(values(harness.getSideOutput(Descriptors.NO_MODEL_YET))).extracting(r -> r.input).containsExactly("4", "5");

        harness.processBroadcastElement(update(1, false), 0);
        assertThat(ScorerResults.of(harness)).extracting(r -> r.input()).containsExactly("1", "2", "3");
    }

    @Test
    void anInputTheModelThrowsOnIsRejectedAndTheRestOfItsBatchScored() throws Exception {
        ProbeFailingModelType.register();
        harness = open(100);
        ValidatedModel failsOn7 = TestModels.update(1, System.currentTimeMillis(), new ProbeFailingModelType.FailingModel(7));
        harness.processBroadcastElement(failsOn7, 0);

        harness.processElement(inputs(6, 7, 8), 0);

        assertThat(ScorerResults.of(harness)).extracting(r -> r.input()).containsExactly("6", "8");
        assertThat(values(harness.getSideOutput(Descriptors.BAD_RECORDS))).singleElement().satisfies(r -> {
            assertThat(r.input).isEqualTo("7");
            assertThat(r.reason).startsWith("model version 1 failed on this input").contains("cannot score 7");
        });
    }

    @Test
    void aLargeReplacementIsBuiltOffTheTaskThreadWhileTheModelInUseKeepsScoring() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(slow(1, "one", 0), 0);
        SlowBuildModelType.hold();
        try {
            harness.processBroadcastElement(slow(2, "two", LARGE), 0);
            harness.processElement(input(7), 0);

            assertThat(results()).containsExactly("7 one:7 1 0");
            assertThat(harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT).version())
                    .as("a checkpoint taken now holds the replacement").isEqualTo(2);
        } finally {
            SlowBuildModelType.release();
        }
        scoreUntilVersion(2);
        assertThat(results()).startsWith("7 one:7 1 0").last().asString().endsWith(":8 2 0");
    }

    @Test
    void updatesOfANameTakeOverInTheOrderTheyCameWhileOneIsBuilt() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(slow(1, "one", 0), 0);
        SlowBuildModelType.hold();
        try {
            harness.processBroadcastElement(slow(2, "two", LARGE), 0);
            harness.processBroadcastElement(slow(3, "three", 0), 0);
            harness.processElement(input(5), 0);
        } finally {
            SlowBuildModelType.release();
        }
        scoreUntilVersion(3);

        List<Long> versions = ScorerResults.of(harness).stream().map(Result::modelVersion).toList();
        assertThat(versions).first().isEqualTo(1L);
        assertThat(versions).isSorted().last().isEqualTo(3L);
    }

    @Test
    void aReplacementThatCannotBeBuiltLeavesTheModelInUseAndTheStateAsTheyWere() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(slow(1, "one", 0), 0);
        harness.processBroadcastElement(slow(2, "broken", LARGE), 0);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT).version() != 1) {
            assertThat(System.nanoTime()).as("the failed build is handed back within 10 s").isLessThan(deadline);
            harness.processElement(input(8), 0);
            Thread.sleep(5);
        }
        harness.processElement(input(9), 0);
        assertThat(ScorerResults.of(harness)).extracting(Result::modelVersion).containsOnly(1L);
    }

    @Test
    void aRestoreTakenWhileAReplacementWasBuildingStartsWithTheReplacement() throws Exception {
        harness = open(100);
        harness.processBroadcastElement(slow(1, "one", 0), 0);
        SlowBuildModelType.hold();
        OperatorSubtaskState building;
        try {
            harness.processBroadcastElement(slow(2, "two", LARGE), 0);
            building = harness.snapshot(1, 1);
        } finally {
            SlowBuildModelType.release();
        }
        harness.close();

        harness = restore(building, 100);
        harness.processElement(input(4), 0);
        assertThat(results()).containsExactly("4 two:4 2 0");
    }

    @Test
    void aRestoreReadsItsModelFromTheModelStore(@TempDir Path dir) throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store").toUri().toString());
        harness = open(100);
        ValidatedModel stored = update(2, true).withBytes(store.put(update(2, true).bytes().read()));
        harness.processBroadcastElement(stored, 0);
        OperatorSubtaskState state = harness.snapshot(1, 1);
        harness.close();

        harness = restore(state, 100, recovery(dir, store));
        harness.processElement(input(7), 0);

        assertThat(results()).containsExactly("7 070707 2 0");
        assertThat(harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT).bytes()).isEqualTo(stored.bytes());
    }

    @Test
    void aRestoreWhoseStoredModelIsGoneFallsBackToTheNewestValidFileInTheModelsDirectory(@TempDir Path dir) throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store").toUri().toString());
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("model-1.json"), TestModels.fileBytes(1, false));
        Files.write(models.resolve("model-3.json"), "{ not a model".getBytes(StandardCharsets.UTF_8));
        harness = open(100);
        ModelBytes.Stored bytes = store.put(update(2, true).bytes().read());
        harness.processBroadcastElement(update(2, true).withBytes(bytes), 0);
        OperatorSubtaskState state = harness.snapshot(1, 1);
        harness.close();
        Files.delete(Path.of(URI.create(bytes.location())));

        harness = restore(state, 100, recovery(dir, store));
        harness.processElement(input(7), 0);

        assertThat(results()).as("version 1, the newest valid file (3 is damaged)").containsExactly("7 07 1 0");
        ValidatedModel recovered = harness.getBroadcastState(Descriptors.MODELS).get(Descriptors.DEFAULT_SLOT);
        assertThat(recovered.version()).isEqualTo(1);
        assertThat(recovered.bytes()).as("put back into the store").isInstanceOf(ModelBytes.Stored.class);
    }

    private static ModelRecovery recovery(Path dir, ModelStore store) {
        return new ModelRecovery(dir.resolve("models").toUri().toString(), ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, store);
    }

    /** Scores inputs until one is scored by {@code version}, failing after 10 s. */
    private void scoreUntilVersion(long version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ScorerResults.of(harness).stream().noneMatch(r -> r.modelVersion() == version)) {
            assertThat(System.nanoTime()).as("version %d scores within 10 s", version).isLessThan(deadline);
            harness.processElement(input(8), 0);
            Thread.sleep(5);
        }
    }

    /** A model update of the slow-building test type; {@code padding} bytes make it large. */
    private static ValidatedModel slow(long version, String label, int padding) {
        return update(version, TestModels.CREATED.toEpochMilli(), new SlowBuildModelType.SlowModel(label, padding));
    }

    /** The results so far as "input output version subtask": the age depends on the clock. */
    private List<String> results() {
        return ScorerResults.of(harness).stream()
                .map(r -> r.input() + " " + r.output() + " " + r.modelVersion() + " " + r.subtask())
                .collect(Collectors.toList());
    }

    private static InputBatch input(long value) {
        return InputBatch.of(new InputRecord(Long.toString(value), value));
    }

    private static InputBatch inputs(long... values) {
        return InputBatch.of(Arrays.stream(values).mapToObj(v -> new InputRecord(Long.toString(v), v)).toList());
    }

    private static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> open(int maxPending)
            throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ScoreWithLiveModels(maxPending, ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.none(), 64, ModelName.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(1)), Descriptors.MODELS);
    }

    private static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> restore(
            OperatorSubtaskState state, int maxPending) throws Exception {
        return restore(state, maxPending, null);
    }

    private static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> restore(
            OperatorSubtaskState state, int maxPending, ModelRecovery recovery) throws Exception {
        BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> restored =
                new BroadcastOperatorTestHarness<>(
                        new CoBroadcastWithNonKeyedOperator<>(
                                new ScoreWithLiveModels(maxPending, ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.none(), 64, ModelName.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(1))
                                        .recoveringFrom(recovery),
                                List.of(Descriptors.MODELS)),
                        1, 1, 0);
        restored.setup();
        restored.initializeState(state);
        restored.open();
        return restored;
    }

    private static List<RejectedRecord> values(Collection<StreamRecord<RejectedRecord>> records) {
        return records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
