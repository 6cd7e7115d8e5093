package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as read, before any check: its bytes and where it was read. A Flink POJO.
 */
public class KafkaInput {

    /** The record's value; null if it had none. */
    public byte[] value;

    public RecordOrigin origin;

    /** The value of the record's {@code modelcast-model} header (the model it names), as sent; null if it has none. */
    public byte[] model;

    public KafkaInput() {}

    public KafkaInput(byte[] value, RecordOrigin origin) {
        this.value = value;
        this.origin = origin;
    }

    /** This record, naming model {@code header} (the header's bytes) or none. */
    public KafkaInput withModelHeader(byte[] header) {
        this.model = header;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaInput other && Arrays.equals(value, other.value) && Objects.equals(origin, other.origin)
                && Arrays.equals(model, other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), origin);
    }

    @Override
    public String toString() {
        return "KafkaInput{" + (value == null ? "null" : value.length + " bytes") + " from " + origin + "}";
    }
}
