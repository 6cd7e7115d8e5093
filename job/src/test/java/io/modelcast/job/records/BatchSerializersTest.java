package io.modelcast.job.records;

import static io.modelcast.job.records.SerializerChecks.restoredFromItsSnapshot;
import static io.modelcast.job.records.SerializerChecks.roundTrip;
import static io.modelcast.job.records.SerializerChecks.serializer;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.TestModels;
import io.modelcast.job.events.FeatureSpecs;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.modelupdates.ValidatedModelSerializer;
import io.modelcast.job.store.ModelBytes;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.rollout.Rollout;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** The hand-written serializers: round trips, and snapshots that say which written formats restore. */
class BatchSerializersTest {

    private static final RecordOrigin ORIGIN = new RecordOrigin("s0", 3, 42, 1_700_000_000_000L, "k".getBytes(StandardCharsets.UTF_8));

    @Test
    void flinkUsesTheHandWrittenSerializersNotKryo() {
        assertThat(serializer(LineBatch.class)).isInstanceOf(LineBatchSerializer.class);
        assertThat(serializer(InputBatch.class)).isInstanceOf(InputBatchSerializer.class);
        assertThat(serializer(ValidatedModel.class)).isInstanceOf(ValidatedModelSerializer.class);
    }

    @Test
    void validatedModelsSurviveSerializationWithAndWithoutAFallback() throws IOException {
        ValidatedModel local = TestModels.update(1, true);
        ValidatedModel pointer = new ValidatedModel(2, "remote", 1_700_000_000_000L, "models/model-2.json",
                new byte[] {1, 2, 3}).withFallback(local);
        ValidatedModel bounded = TestModels.update(3, false).asChallenger(Rollout.canary(10, 1,
                new Rollout.Policy(500, 0.01, 0.25, OptionalDouble.of(0.8), OptionalDouble.empty())));
        ValidatedModel unbounded = TestModels.update(4, false).asChallenger(Rollout.shadow(1, new Rollout.Policy(500, 0.01, 0.25)));
        ValidatedModel profiled = TestModels.update(5, false).withProfile(Optional.of(
                Profile.of(new float[] {0, 1, 2, 3}, 2, new double[] {0.2, 0.7})));
        ValidatedModel stored = TestModels.update(6, false).withBytes(
                new ModelBytes.Stored("ab12", 42, "file:///checkpoints/model-store/ab12.bin"));
        ValidatedModel storedPointer = pointer.withBytes(new ModelBytes.Stored("cd34", 3, "s3://bucket/model-store/cd34.bin"))
                .withFallback(stored);
        ValidatedModel withSpec = TestModels.update(7, false).withFeatureSpec(Optional.of(FeatureSpecs.PURCHASES));
        for (ValidatedModel model : List.of(local, pointer, bounded, unbounded, profiled, stored, storedPointer, withSpec)) {
            assertThat(roundTrip(model, serializer(ValidatedModel.class))).isEqualTo(model);
        }
    }

    @Test
    void aSnapshotTellsWhichWrittenFormatsThisBuildReads() {
        InputBatchSerializer.Snapshot current = new InputBatchSerializer.Snapshot();
        assertThat(current.resolveSchemaCompatibility(new InputBatchSerializer.Snapshot()).isCompatibleAsIs()).isTrue();
        assertThat(current.resolveSchemaCompatibility(new InputBatch.Serializer.Snapshot()).isCompatibleAfterMigration())
                .as("the unnumbered snapshot of earlier builds stands for format 1, read and written anew").isTrue();
        assertThat(current.resolveSchemaCompatibility(new FutureInputBatchSnapshot()).isIncompatible())
                .as("a format newer than this build's").isTrue();
        assertThat(new InputBatch.Serializer.Snapshot().restoreSerializer()).isEqualTo(InputBatchSerializer.reading(1));
    }

    @Test
    void formatsOneAndTwoAreFormatThreeWithoutModelNamesAndSpecs() throws Exception {
        InputBatch batch = InputBatch.of(List.of(InputRecord.features("{\"id\":\"a\",\"features\":[1,2]}", new float[] {1, 2},
                "a", null), InputRecord.features("[3]", new float[] {3}, null, null)));
        DataOutputSerializer out = new DataOutputSerializer(64);
        InputBatchSerializer.INSTANCE.serialize(batch, out);
        byte[] formatThree = out.getCopyOfBuffer();
        // Format 3 appends one flag (no specs) to format 2's bytes, which append one (no names) to format 1's.
        byte[] formatTwo = Arrays.copyOf(formatThree, formatThree.length - 1);
        byte[] formatOne = Arrays.copyOf(formatThree, formatThree.length - 2);

        assertThat(InputBatchSerializer.reading(2).deserialize(new DataInputDeserializer(formatTwo))).isEqualTo(batch);
        assertThat(InputBatchSerializer.reading(1).deserialize(new DataInputDeserializer(formatOne))).isEqualTo(batch);
    }

    @Test
    void theFingerprintsOfTheSpecsThatComputedTheFeaturesSurviveSerialization() throws Exception {
        InputBatch batch = new InputBatchBuilder(2, 16)
                .add("{\"ts\":1}".getBytes(StandardCharsets.UTF_8), 0, 8, 0, null).withFeatures(new float[] {1, 2}, "e1")
                .withModel("fraud").withSpec(42L)
                .add("{\"ts\":2}".getBytes(StandardCharsets.UTF_8), 0, 8, 0, null).withFeatures(new float[] {3, 4}, null)
                .withModel("fraud").withSpec(-7L)
                .build();
        DataOutputSerializer out = new DataOutputSerializer(64);
        InputBatchSerializer.INSTANCE.serialize(batch, out);
        InputBatch read = InputBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read).isEqualTo(batch);
        assertThat(read.hasSpecs()).isTrue();
        assertThat(read.spec(1)).isEqualTo(-7L);
        assertThat(read.select(new int[] {1}, 1).spec(0)).isEqualTo(-7L);
    }

    @Test
    void modelNamesSurviveSerialization() throws Exception {
        InputBatch batch = InputBatch.of(List.of(new InputRecord("7", 7).forModel("fraud"), new InputRecord("8", 8),
                new InputRecord("9", 9).forModel("churn")));
        DataOutputSerializer out = new DataOutputSerializer(64);
        InputBatchSerializer.INSTANCE.serialize(batch, out);
        InputBatch read = InputBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read).isEqualTo(batch);
        assertThat(read.model(0)).isEqualTo("fraud");
        assertThat(read.model(1)).isNull();
        assertThat(read.select(new int[] {2, 0}, 2).records()).extracting(r -> r.model).containsExactly("churn", "fraud");
    }

    /** A snapshot as a later build that changed the format would write it. */
    private static final class FutureInputBatchSnapshot extends FormatSnapshot<InputBatch> {
        FutureInputBatchSnapshot() {
            super(4);
        }

        @Override
        protected TypeSerializer<InputBatch> serializerFor(int writtenFormat) {
            return InputBatchSerializer.INSTANCE;
        }
    }

    @Test
    void lineBatchesSurviveSerialization() throws IOException {
        for (LineBatch batch : List.of(LineBatch.of(), LineBatch.of("7"), LineBatch.of("", "é", " 12 ", "x".repeat(1000)))) {
            assertThat(roundTrip(batch, serializer(LineBatch.class))).isEqualTo(batch);
        }
    }

    @Test
    void inputBatchesSurviveSerializationWithAndWithoutOrigins() throws IOException {
        InputBatch socket = InputBatch.of(List.of(new InputRecord("7", 7), new InputRecord(" -3", -3), new InputRecord("é", 1)));
        InputBatch kafka = InputBatch.of(List.of(new InputRecord("5", 5, ORIGIN),
                new InputRecord("6", 6, new RecordOrigin("s0", 0, 1, -1, null))));

        for (InputBatch batch : List.of(socket, kafka, InputBatch.of(List.of()), socket.slice(1, 3))) {
            InputBatch back = roundTrip(batch, serializer(InputBatch.class));
            assertThat(back.records()).isEqualTo(batch.records());
        }
    }

    @Test
    void aBatchSharedWithItsLinesSerializesOnlyWhatItUses() throws IOException {
        LineBatch lines = new LineBatch("1\u00002\u0000junk".getBytes(StandardCharsets.UTF_8), new int[] {1, 2, 99}, 2);
        InputBatch inputs = lines.toInputs(new long[] {1, 2, 99});

        assertThat(roundTrip(inputs, serializer(InputBatch.class)).records())
                .containsExactly(new InputRecord("1", 1), new InputRecord("\u0000", 2));
    }

    @Test
    void theSerializersRestoreFromTheirSnapshots() throws IOException {
        for (TypeSerializer<?> serializer : List.of(serializer(LineBatch.class), serializer(InputBatch.class),
                serializer(ValidatedModel.class))) {
            assertThat(restoredFromItsSnapshot(serializer)).isInstanceOf(serializer.getClass());
        }
    }
}
