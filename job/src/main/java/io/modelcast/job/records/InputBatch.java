package io.modelcast.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Valid inputs on their way to the scoring operator, several to a record: each one's text (UTF-8,
 * back to back, as in {@link LineBatch}), the integer it holds and, for Kafka input, where it was
 * read. This is what crosses the network hop to the broadcast operator — which never chains with
 * its input, so every record there is serialized — and a batch crosses it as a few array copies.
 * Immutable once built.
 */
@TypeInfo(InputBatch.Info.class)
public final class InputBatch {

    private final byte[] text;
    private final int[] ends;
    private final long[] values;
    /** Null when no input has an origin (socket input). */
    private final RecordOrigin[] origins;
    private final int size;

    /**
     * @param text the inputs' text, back to back (may be longer than used)
     * @param ends where input {@code i}'s text ends
     * @param values the integers
     * @param origins where each was read, or null for none
     * @param size how many inputs; the arrays may be longer
     */
    public InputBatch(byte[] text, int[] ends, long[] values, RecordOrigin[] origins, int size) {
        this.text = text;
        this.ends = ends;
        this.values = values;
        this.origins = origins;
        this.size = size;
    }

    /** A batch of one. */
    public static InputBatch of(InputRecord record) {
        byte[] text = record.text.getBytes(StandardCharsets.UTF_8);
        return new InputBatch(text, new int[] {text.length}, new long[] {record.value},
                record.origin == null ? null : new RecordOrigin[] {record.origin}, 1);
    }

    /** A batch of several, in order. */
    public static InputBatch of(List<InputRecord> records) {
        Builder builder = new Builder(records.size(), 16 * records.size());
        for (InputRecord record : records) {
            byte[] text = record.text.getBytes(StandardCharsets.UTF_8);
            builder.add(text, 0, text.length, record.value, record.origin);
        }
        return builder.build();
    }

    public int size() {
        return size;
    }

    public long value(int i) {
        return values[i];
    }

    /** Input {@code i}'s text as received (UTF-8 decoded; malformed bytes become U+FFFD). */
    public String text(int i) {
        int start = i == 0 ? 0 : ends[i - 1];
        return new String(text, start, ends[i] - start, StandardCharsets.UTF_8);
    }

    /** Where input {@code i} was read in Kafka; null for socket input. */
    public RecordOrigin origin(int i) {
        return origins == null ? null : origins[i];
    }

    public InputRecord record(int i) {
        return new InputRecord(text(i), value(i), origin(i));
    }

    /** Every input, one by one; for tests and for the rare paths that hold inputs. */
    public List<InputRecord> records() {
        List<InputRecord> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            records.add(record(i));
        }
        return records;
    }

    /** Inputs {@code [from, to)} as a batch of their own. */
    public InputBatch slice(int from, int to) {
        Builder builder = new Builder(to - from, Math.max(16, (to == 0 ? 0 : ends[to - 1]) - (from == 0 ? 0 : ends[from - 1])));
        for (int i = from; i < to; i++) {
            int start = i == 0 ? 0 : ends[i - 1];
            builder.add(text, start, ends[i] - start, values[i], origin(i));
        }
        return builder.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputBatch other && other.records().equals(records());
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, size == 0 ? 0 : values[0]);
    }

    @Override
    public String toString() {
        List<InputRecord> shown = slice(0, Math.min(size, 5)).records();
        return "InputBatch" + shown + (size > 5 ? " … " + size + " inputs" : "");
    }

    /** Builds a batch input by input; grows as needed. */
    public static final class Builder {
        private byte[] text;
        private int[] ends;
        private long[] values;
        private RecordOrigin[] origins;
        private int size;
        private int length;

        public Builder(int expectedInputs, int expectedBytes) {
            text = new byte[Math.max(16, expectedBytes)];
            ends = new int[Math.max(1, expectedInputs)];
            values = new long[ends.length];
        }

        public Builder add(byte[] bytes, int offset, int count, long value, RecordOrigin origin) {
            if (size == ends.length) {
                ends = Arrays.copyOf(ends, size * 2);
                values = Arrays.copyOf(values, size * 2);
                if (origins != null) {
                    origins = Arrays.copyOf(origins, size * 2);
                }
            }
            if (length + count > text.length) {
                text = Arrays.copyOf(text, Math.max(text.length * 2, length + count));
            }
            if (origin != null && origins == null) {
                origins = new RecordOrigin[ends.length];
            }
            System.arraycopy(bytes, offset, text, length, count);
            length += count;
            ends[size] = length;
            values[size] = value;
            if (origins != null) {
                origins[size] = origin;
            }
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public InputBatch build() {
            return new InputBatch(text, ends, values, origins, size);
        }
    }

    /** Flink type information: {@link Serializer}. */
    public static final class Info extends TypeInfoFactory<InputBatch> {
        @Override
        public TypeInformation<InputBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(InputBatch.class, Serializer.INSTANCE);
        }
    }

    /** Writes the text and the line ends as {@link LineBatch} does, then the values and origins. */
    public static final class Serializer extends TypeSerializerSingleton<InputBatch> {
        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public InputBatch createInstance() {
            return new InputBatch(new byte[0], new int[0], new long[0], null, 0);
        }

        @Override
        public InputBatch copy(InputBatch from) {
            return from;
        }

        @Override
        public InputBatch copy(InputBatch from, InputBatch reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(InputBatch batch, DataOutputView target) throws IOException {
            LineBatch.Serializer.write(batch.text, batch.ends, batch.size, target);
            for (int i = 0; i < batch.size; i++) {
                target.writeLong(batch.values[i]);
            }
            target.writeBoolean(batch.origins != null);
            if (batch.origins != null) {
                for (int i = 0; i < batch.size; i++) {
                    writeOrigin(batch.origins[i], target);
                }
            }
        }

        @Override
        public InputBatch deserialize(DataInputView source) throws IOException {
            int size = source.readInt();
            int[] ends = new int[size];
            byte[] text = LineBatch.Serializer.readText(source, ends);
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                values[i] = source.readLong();
            }
            RecordOrigin[] origins = null;
            if (source.readBoolean()) {
                origins = new RecordOrigin[size];
                for (int i = 0; i < size; i++) {
                    origins[i] = readOrigin(source);
                }
            }
            return new InputBatch(text, ends, values, origins, size);
        }

        @Override
        public InputBatch deserialize(InputBatch reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<InputBatch> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void writeOrigin(RecordOrigin origin, DataOutputView target) throws IOException {
            target.writeBoolean(origin != null);
            if (origin == null) {
                return;
            }
            target.writeUTF(origin.topic);
            target.writeInt(origin.partition);
            target.writeLong(origin.offset);
            target.writeLong(origin.timestamp);
            target.writeInt(origin.key == null ? -1 : origin.key.length);
            if (origin.key != null) {
                target.write(origin.key);
            }
        }

        private static RecordOrigin readOrigin(DataInputView source) throws IOException {
            if (!source.readBoolean()) {
                return null;
            }
            String topic = source.readUTF();
            int partition = source.readInt();
            long offset = source.readLong();
            long timestamp = source.readLong();
            int keyLength = source.readInt();
            byte[] key = null;
            if (keyLength >= 0) {
                key = new byte[keyLength];
                source.readFully(key);
            }
            return new RecordOrigin(topic, partition, offset, timestamp, key);
        }

        /** The serializer has no configuration. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<InputBatch> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
