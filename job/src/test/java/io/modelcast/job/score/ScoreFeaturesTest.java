package io.modelcast.job.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.TestModels;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.ModelName;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;

/** The scoring operator with feature models: logistic and ONNX, batches, bad vectors, swaps. */
class ScoreFeaturesTest {

    private static final ModelFileCodec CODEC = new ModelFileCodec();

    static LogisticModel logistic(double w0, double w1) {
        return new LogisticModel(new double[] {w0, w1}, 0.1, 0.5, null);
    }

    static ValidatedModel update(long version, Model model) {
        return TestModels.update(version, System.currentTimeMillis(), model);
    }

    static ValidatedModel onnxUpdate(long version, LogisticModel model) throws Exception {
        try (OnnxModel onnx = new OnnxModel(LogisticOnnxExport.export(model), 0.5, null, null)) {
            return update(version, onnx);
        }
    }

    static InputBatch vectors(float[]... rows) {
        InputBatchBuilder builder = new InputBatchBuilder(rows.length, 64);
        for (int i = 0; i < rows.length; i++) {
            builder.add(InputRecord.features("row " + i, rows[i], "id-" + i, null));
        }
        return builder.build();
    }

    static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> open(int batchSize) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ScoreWithLiveModels(100, ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.none(), batchSize, ModelName.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(1)), Descriptors.MODELS);
    }

    @Test
    void scoresVectorsInBatchesAndRejectsThoseOfTheWrongLength() throws Exception {
        LogisticModel model = logistic(1, -2);
        try (var harness = open(2)) {
            harness.processBroadcastElement(update(3, model), 0);
            harness.processElement(vectors(new float[] {1, 0}, new float[] {1}, new float[] {0, 1}, new float[] {2, 2},
                    new float[] {5, 0}), 0);

            List<Result> results = ScorerResults.of(harness);
            assertThat(results).extracting(r -> r.id()).containsExactly("id-0", "id-2", "id-3", "id-4");
            for (Result r : results) {
                float[] row = r.id().equals("id-0") ? new float[] {1, 0} : r.id().equals("id-2") ? new float[] {0, 1}
                        : r.id().equals("id-3") ? new float[] {2, 2} : new float[] {5, 0};
                assertThat(r.score()).hasValue(model.score(row));
                assertThat(r.output()).isEqualTo(Integer.toString(model.label(r.score().getAsDouble())));
                assertThat(r.modelVersion()).isEqualTo(3);
            }
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.input).isEqualTo("row 1");
                assertThat(r.reason).isEqualTo("has 1 features; model version 3 takes 2");
            });
        }
    }

    @Test
    void everyOnnxSwapClosesTheOldSessionAndEveryRecordIsScoredByTheModelOfItsVersion() throws Exception {
        // Two ONNX models of 20,000 features (a leaked session would hold its 80 kB of weights and more).
        int k = 20_000;
        double[] a = new double[k];
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
            a[j] = 1e-4;
            b[j] = -1e-4;
        }
        ValidatedModel[] updates = new ValidatedModel[1001];
        for (int v = 1; v <= 1000; v++) {
            updates[v] = onnxUpdate(v, new LogisticModel(v % 2 == 0 ? a : b, 0, 0.5, null));
        }
        float[] ones = new float[k];
        Arrays.fill(ones, 1f);
        long sessionsBefore = OnnxModel.openSessions();
        try (var harness = open(64)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (int v = 1; v <= 1000; v++) {
                harness.processBroadcastElement(updates[v], 0);
                // Large models are built off the task thread: score until this version has taken over.
                do {
                    assertThat(System.nanoTime()).as("version %d takes over in time", v).isLessThan(deadline);
                    harness.processElement(vectors(ones, ones), 0);
                } while (last(harness).modelVersion() != v);
                // Only this subtask's current model is open: every replaced one was closed.
                assertThat(OnnxModel.openSessions()).isEqualTo(sessionsBefore + 1);
            }
            List<Result> results = ScorerResults.of(harness);
            assertThat(results).hasSizeGreaterThanOrEqualTo(2000);
            for (Result r : results) {
                // sigmoid(±2): each record scored by the model of its own version, never a closed one.
                assertThat(r.score().getAsDouble())
                        .isCloseTo(LogisticModel.sigmoid(r.modelVersion() % 2 == 0 ? 2 : -2), offset(1e-4));
            }
            assertThat(rejected(harness)).isEmpty();
            // Resident memory over these swaps is measured in a JVM of its own: OnnxSwapMemoryTest.
        }
        assertThat(OnnxModel.openSessions()).as("the last model is closed with the operator").isEqualTo(sessionsBefore);
    }

    @Test
    void aModelScoresOnlyVectorsOfItsOwnSpecAndItsPredecessorThoseOfItsSpecStillOnTheirWay() throws Exception {
        io.modelcast.model.features.FeatureSpec first = io.modelcast.job.events.FeatureSpecs.SMALLER;
        io.modelcast.model.features.FeatureSpec second = io.modelcast.job.events.FeatureSpecs.spec(
                "{\"features\": [{\"name\": \"a\", \"op\": \"value\", \"of\": \"amount\"},"
                        + " {\"name\": \"b\", \"op\": \"sum\", \"of\": \"amount\", \"by\": \"user\", \"last\": 3}]}");
        try (var harness = open(64)) {
            harness.processBroadcastElement(update(1, logistic(1, -2)).withFeatureSpec(java.util.Optional.of(first)), 0);
            harness.processBroadcastElement(update(2, logistic(-1, 2)).withFeatureSpec(java.util.Optional.of(second)), 0);
            InputBatch batch = new InputBatchBuilder(4, 64)
                    .add(InputRecord.features("new", new float[] {1, 0}, "new", null)).withSpec(second.fingerprint())
                    .add(InputRecord.features("old", new float[] {1, 0}, "old", null)).withSpec(first.fingerprint())
                    .add(InputRecord.features("other", new float[] {1, 0}, "other", null)).withSpec(42L)
                    .add(InputRecord.features("ready-made", new float[] {1, 0}, "ready-made", null))
                    .build();
            harness.processElement(batch, 0);

            assertThat(ScorerResults.of(harness)).extracting(r -> r.id(), r -> r.modelVersion()).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("new", 2L), org.assertj.core.groups.Tuple.tuple("old", 1L));
            assertThat(rejected(harness)).extracting(r -> r.input).containsExactlyInAnyOrder("other", "ready-made");
            assertThat(rejected(harness)).extracting(r -> r.reason).anySatisfy(reason ->
                    assertThat(reason).contains("computed by another feature spec than model version 2's"));

            // A third version with the second's spec retires the first.
            harness.processBroadcastElement(update(3, logistic(-1, 2)).withFeatureSpec(java.util.Optional.of(second)), 0);
            harness.processElement(new InputBatchBuilder(1, 16)
                    .add(InputRecord.features("late old", new float[] {1, 0}, "late old", null)).withSpec(first.fingerprint())
                    .build(), 0);
            assertThat(rejected(harness)).extracting(r -> r.input).contains("late old");
        }
    }

    private static Result last(BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness) {
        List<Result> results = ScorerResults.of(harness);
        return results.get(results.size() - 1);
    }

    @Test
    void aModelForTheOtherKindOfInputIsRejectedBeforeBroadcast() {
        ModelValidator forIntegers = new ModelValidator(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT);
        ModelValidator forVectors = new ModelValidator(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.CSV);
        ModelFileBytes logisticFile = ModelFileBytes.read("models/model-2.json",
                CODEC.encode(ModelFile.create(2, Instant.now(), logistic(1, 1))));
        ModelFileBytes customFile = TestModels.file(3, true);

        assertThat(forIntegers.validate(logisticFile)).isInstanceOfSatisfying(ModelValidator.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(ModelValidator.INPUT_MISMATCH);
            assertThat(r.message()).contains("holds a logistic model, which scores feature vectors, but this job reads integers"
                    + " (--input-format int)");
        });
        assertThat(forVectors.validate(customFile)).isInstanceOfSatisfying(ModelValidator.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(ModelValidator.INPUT_MISMATCH));
        assertThat(forVectors.validate(logisticFile)).isInstanceOf(ModelValidator.Accepted.class);
    }

    private static List<RejectedRecord> rejected(BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness) {
        List<RejectedRecord> out = new ArrayList<>();
        var side = harness.getSideOutput(Descriptors.BAD_RECORDS);
        if (side != null) {
            for (StreamRecord<RejectedRecord> r : side) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
