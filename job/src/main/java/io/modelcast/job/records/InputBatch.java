package io.modelcast.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Valid inputs on their way to the scoring operator, several to a record: each one's text (UTF-8,
 * back to back, as in {@link LineBatch}), the integer it holds — or its feature vector and id —
 * and, for Kafka input, where it was read. This is what crosses the network hop to the broadcast operator — which never chains with
 * its input, so every record there is serialized — and a batch crosses it as a few array copies.
 * Immutable once built.
 */
@TypeInfo(InputBatch.Info.class)
public final class InputBatch {

    final byte[] text;
    final int[] ends;
    final long[] values;
    /** Null when no input has an origin (socket input). */
    final RecordOrigin[] origins;
    /** Feature vectors, back to back; null for integer inputs (then {@link #values} holds them). */
    final float[] features;
    /** Where input {@code i}'s features end in {@link #features}; null for integer inputs. */
    final int[] featureEnds;
    /** The inputs' ids (JSON input), null where absent; null when none has one. */
    final String[] ids;
    /** The model each input names, null where it names none; null when none names one. */
    final String[] models;
    /**
     * The fingerprint of the feature spec that computed each input's features from a raw event;
     * null when the features came ready made.
     */
    final long[] specs;
    final int size;

    /**
     * @param text the inputs' text, back to back (may be longer than used)
     * @param ends where input {@code i}'s text ends
     * @param values the integers
     * @param origins where each was read, or null for none
     * @param size how many inputs; the arrays may be longer
     */
    public InputBatch(byte[] text, int[] ends, long[] values, RecordOrigin[] origins, int size) {
        this(text, ends, values, origins, null, null, null, null, size);
    }

    /**
     * A batch of feature-vector inputs (or, with null {@code features}, of integers).
     *
     * @param features the vectors, back to back
     * @param featureEnds where input {@code i}'s vector ends
     * @param ids each input's id or null; null for none
     * @param models the model each input names or null; null for none
     */
    public InputBatch(byte[] text, int[] ends, long[] values, RecordOrigin[] origins, float[] features, int[] featureEnds,
            String[] ids, String[] models, int size) {
        this(text, ends, values, origins, features, featureEnds, ids, models, null, size);
    }

    /**
     * A batch of feature vectors computed from raw events.
     *
     * @param specs the fingerprint of the spec that computed each input's features, or null for ready-made ones
     */
    public InputBatch(byte[] text, int[] ends, long[] values, RecordOrigin[] origins, float[] features, int[] featureEnds,
            String[] ids, String[] models, long[] specs, int size) {
        this.specs = specs;
        this.text = text;
        this.ends = ends;
        this.values = values;
        this.origins = origins;
        this.features = features;
        this.featureEnds = featureEnds;
        this.ids = ids;
        this.models = models;
        this.size = size;
    }

    /** A batch of one. */
    public static InputBatch of(InputRecord record) {
        return of(List.of(record));
    }

    /** A batch of several, in order. */
    public static InputBatch of(List<InputRecord> records) {
        InputBatchBuilder builder = new InputBatchBuilder(records.size(), 16 * records.size());
        for (InputRecord record : records) {
            builder.add(record);
        }
        return builder.build();
    }

    /** Whether the inputs are feature vectors (else integers). */
    public boolean hasFeatures() {
        return features != null;
    }

    /** How many features input {@code i} has. */
    public int featureCount(int i) {
        return featureEnds[i] - (i == 0 ? 0 : featureEnds[i - 1]);
    }

    /** Copies input {@code i}'s features into {@code target} at {@code offset}. */
    public void copyFeatures(int i, float[] target, int offset) {
        int start = i == 0 ? 0 : featureEnds[i - 1];
        System.arraycopy(features, start, target, offset, featureEnds[i] - start);
    }

    /** Input {@code i}'s features, or null for an integer input. */
    public float[] features(int i) {
        if (features == null) {
            return null;
        }
        int start = i == 0 ? 0 : featureEnds[i - 1];
        return Arrays.copyOfRange(features, start, featureEnds[i]);
    }

    /** Input {@code i}'s id, or null. */
    public String id(int i) {
        return ids == null ? null : ids[i];
    }

    /** The model input {@code i} names, or null if it names none. */
    public String model(int i) {
        return models == null ? null : models[i];
    }

    /** Whether the inputs' features were computed from raw events, each by the spec {@link #spec} says. */
    public boolean hasSpecs() {
        return specs != null;
    }

    /** The fingerprint of the feature spec that computed input {@code i}'s features; only if {@link #hasSpecs}. */
    public long spec(int i) {
        return specs[i];
    }

    /** Whether some input names its model. */
    public boolean namesModels() {
        return models != null;
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
        InputRecord record = features == null
                ? new InputRecord(text(i), value(i), origin(i))
                : InputRecord.features(text(i), features(i), id(i), origin(i));
        return record.forModel(model(i));
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
        InputBatchBuilder builder = new InputBatchBuilder(to - from, Math.max(16, (to == 0 ? 0 : ends[to - 1]) - (from == 0 ? 0 : ends[from - 1])));
        for (int i = from; i < to; i++) {
            copyInto(builder, i);
        }
        return builder.build();
    }

    /** The first {@code count} inputs listed in {@code indices}, in that order, as a batch of their own. */
    public InputBatch select(int[] indices, int count) {
        InputBatchBuilder builder = new InputBatchBuilder(count, 16 * count);
        for (int k = 0; k < count; k++) {
            copyInto(builder, indices[k]);
        }
        return builder.build();
    }

    private void copyInto(InputBatchBuilder builder, int i) {
        int start = i == 0 ? 0 : ends[i - 1];
        builder.add(text, start, ends[i] - start, values[i], origin(i));
        if (features != null) {
            builder.withFeatures(features(i), id(i));
        }
        if (model(i) != null) {
            builder.withModel(model(i));
        }
        if (specs != null) {
            builder.withSpec(specs[i]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputBatch other && other.records().equals(records())
                && Arrays.equals(specsInUse(), other.specsInUse());
    }

    private long[] specsInUse() {
        return specs == null ? null : Arrays.copyOf(specs, size);
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

    /** Flink type information: {@link InputBatchSerializer}. */
    public static final class Info extends TypeInfoFactory<InputBatch> {
        @Override
        public TypeInformation<InputBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(InputBatch.class, InputBatchSerializer.INSTANCE);
        }
    }

    /**
     * Not a serializer any more: the name of the snapshot class that savepoints of builds before
     * serializer formats were numbered hold for the inputs waiting for a model. It stands for
     * {@link InputBatchSerializer}'s format 1, which is what those builds wrote.
     */
    public static final class Serializer {
        private Serializer() {}

        /** The snapshot class of those savepoints; see {@link InputBatchSerializer.Snapshot}. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<InputBatch> {
            public Snapshot() {
                super(() -> InputBatchSerializer.reading(1));
            }
        }
    }
}
