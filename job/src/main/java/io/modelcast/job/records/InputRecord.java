package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One valid input: the text as it arrived, the integer it holds — or, for feature models, its
 * feature vector and id — and, for Kafka input, where it was read. A Flink POJO.
 */
public class InputRecord {

    /** The input as received. */
    public String text;

    /** The integer the text holds. */
    public long value;

    /** Where the input was read in Kafka; null for socket input. */
    public RecordOrigin origin;

    /** The feature vector of a csv or json input; null for an integer input. */
    public float[] features;

    /** The id of a json input; null if it has none. */
    public String id;

    /** The model the input names (JSON field {@code model}, Kafka header {@code modelcast-model}); null if none. */
    public String model;

    public InputRecord() {}

    public InputRecord(String text, long value) {
        this(text, value, null);
    }

    public InputRecord(String text, long value, RecordOrigin origin) {
        this.text = text;
        this.value = value;
        this.origin = origin;
    }

    /** A feature-vector input. */
    public static InputRecord features(String text, float[] features, String id, RecordOrigin origin) {
        InputRecord record = new InputRecord(text, 0, origin);
        record.features = features;
        record.id = id;
        return record;
    }

    /** This input, naming model {@code name} (or none, if null). */
    public InputRecord forModel(String name) {
        this.model = name;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRecord other
                && value == other.value
                && Objects.equals(text, other.text)
                && Objects.equals(origin, other.origin)
                && Arrays.equals(features, other.features)
                && Objects.equals(id, other.id)
                && Objects.equals(model, other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, value, origin, id) * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "InputRecord{text='" + text + "'" + (features == null ? ", value=" + value : ", features=" + features.length)
                + (id == null ? "" : ", id=" + id) + (model == null ? "" : ", model=" + model) + (origin == null ? "" : ", origin=" + origin) + "}";
    }
}
