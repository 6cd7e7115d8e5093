package io.modelcast.job.records;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * Writes an {@link InputBatch}: the text and its ends as {@link LineBatchSerializer} does, then the
 * values, the origins if any, the feature vectors and ids if any, and (from format 2) the model
 * names if any, and (from format 3) the fingerprints of the feature specs that computed the
 * features, if any. Checkpointed (inputs waiting for a model), so its format is numbered: format 1
 * is what builds before model names wrote, format 2 what builds before stateful features wrote.
 */
public final class InputBatchSerializer extends ImmutableSerializer<InputBatch> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 3;
    public static final InputBatchSerializer INSTANCE = new InputBatchSerializer(FORMAT);


    private InputBatchSerializer(int readFormat) {
        super(readFormat);
    }

    @Override
    public InputBatch createInstance() {
        return new InputBatch(new byte[0], new int[0], new long[0], null, 0);
    }

    @Override
    public void serialize(InputBatch batch, DataOutputView target) throws IOException {
        LineBatchSerializer.writeText(batch.text, batch.ends, batch.size, target);
        for (int i = 0; i < batch.size; i++) {
            target.writeLong(batch.values[i]);
        }
        target.writeBoolean(batch.origins != null);
        if (batch.origins != null) {
            for (int i = 0; i < batch.size; i++) {
                RecordOriginFormat.write(batch.origins[i], target);
            }
        }
        target.writeBoolean(batch.features != null);
        if (batch.features != null) {
            int length = batch.size == 0 ? 0 : batch.featureEnds[batch.size - 1];
            for (int i = 0; i < batch.size; i++) {
                target.writeInt(batch.featureEnds[i]);
            }
            for (int i = 0; i < length; i++) {
                target.writeFloat(batch.features[i]);
            }
            target.writeBoolean(batch.ids != null);
            if (batch.ids != null) {
                for (int i = 0; i < batch.size; i++) {
                    target.writeBoolean(batch.ids[i] != null);
                    if (batch.ids[i] != null) {
                        target.writeUTF(batch.ids[i]);
                    }
                }
            }
        }
        target.writeBoolean(batch.models != null);
        if (batch.models != null) {
            for (int i = 0; i < batch.size; i++) {
                target.writeBoolean(batch.models[i] != null);
                if (batch.models[i] != null) {
                    target.writeUTF(batch.models[i]);
                }
            }
        }
        target.writeBoolean(batch.specs != null);
        if (batch.specs != null) {
            for (int i = 0; i < batch.size; i++) {
                target.writeLong(batch.specs[i]);
            }
        }
    }

    @Override
    public InputBatch deserialize(DataInputView source) throws IOException {
        int size = source.readInt();
        int[] ends = new int[size];
        byte[] text = LineBatchSerializer.readText(source, ends);
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            values[i] = source.readLong();
        }
        RecordOrigin[] origins = null;
        if (source.readBoolean()) {
            origins = new RecordOrigin[size];
            for (int i = 0; i < size; i++) {
                origins[i] = RecordOriginFormat.read(source);
            }
        }
        float[] features = null;
        int[] featureEnds = null;
        String[] ids = null;
        if (source.readBoolean()) {
            featureEnds = new int[size];
            for (int i = 0; i < size; i++) {
                featureEnds[i] = source.readInt();
            }
            features = new float[size == 0 ? 0 : featureEnds[size - 1]];
            for (int i = 0; i < features.length; i++) {
                features[i] = source.readFloat();
            }
            if (source.readBoolean()) {
                ids = new String[size];
                for (int i = 0; i < size; i++) {
                    ids[i] = source.readBoolean() ? source.readUTF() : null;
                }
            }
        }
        String[] models = null;
        if (readFormat >= 2 && source.readBoolean()) {
            models = new String[size];
            for (int i = 0; i < size; i++) {
                models[i] = source.readBoolean() ? source.readUTF() : null;
            }
        }
        long[] specs = null;
        if (readFormat >= 3 && source.readBoolean()) {
            specs = new long[size];
            for (int i = 0; i < size; i++) {
                specs[i] = source.readLong();
            }
        }
        return new InputBatch(text, ends, values, origins, features, featureEnds, ids, models, specs, size);
    }

    /** A serializer that reads {@code format} (and writes the current one). */
    static InputBatchSerializer reading(int format) {
        return format == FORMAT ? INSTANCE : new InputBatchSerializer(format);
    }


    @Override
    public TypeSerializerSnapshot<InputBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Formats 1 to 3; format 1 is also what the unnumbered snapshot of earlier builds stands for ({@link InputBatch.Serializer.Snapshot}). */
    public static final class Snapshot extends FormatSnapshot<InputBatch> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<InputBatch> serializerFor(int writtenFormat) {
            return reading(writtenFormat);
        }

        @Override
        protected OptionalInt legacyFormat(TypeSerializerSnapshot<InputBatch> old) {
            return old instanceof InputBatch.Serializer.Snapshot ? OptionalInt.of(1) : OptionalInt.empty();
        }
    }
}
