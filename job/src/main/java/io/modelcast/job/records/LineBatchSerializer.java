package io.modelcast.job.records;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Writes a {@link LineBatch} as its line count, the line ends and the used bytes: a copy of two
 * arrays. Format 1; {@link InputBatchSerializer} starts with the same layout.
 */
public final class LineBatchSerializer extends ImmutableSerializer<LineBatch> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;
    public static final LineBatchSerializer INSTANCE = new LineBatchSerializer();

    @Override
    public LineBatch createInstance() {
        return new LineBatch(new byte[0], new int[0], 0);
    }

    @Override
    public void serialize(LineBatch batch, DataOutputView target) throws IOException {
        writeText(batch.text, batch.ends, batch.size, target);
    }

    @Override
    public LineBatch deserialize(DataInputView source) throws IOException {
        int size = source.readInt();
        int[] ends = new int[size];
        byte[] text = readText(source, ends);
        return new LineBatch(text, ends, size);
    }

    @Override
    public TypeSerializerSnapshot<LineBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Writes the count, the ends and the bytes of {@code size} texts stored back to back. */
    static void writeText(byte[] text, int[] ends, int size, DataOutputView target) throws IOException {
        target.writeInt(size);
        for (int i = 0; i < size; i++) {
            target.writeInt(ends[i]);
        }
        target.write(text, 0, size == 0 ? 0 : ends[size - 1]);
    }

    /** Reads the ends into {@code ends} (sized by the caller from the count) and returns the bytes. */
    static byte[] readText(DataInputView source, int[] ends) throws IOException {
        for (int i = 0; i < ends.length; i++) {
            ends[i] = source.readInt();
        }
        byte[] text = new byte[ends.length == 0 ? 0 : ends[ends.length - 1]];
        source.readFully(text);
        return text;
    }

    /** Format 1 is the only one. */
    public static final class Snapshot extends FormatSnapshot<LineBatch> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<LineBatch> serializerFor(int writtenFormat) {
            return INSTANCE;
        }
    }
}
