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

    public KafkaInput() {}

    public KafkaInput(byte[] value, RecordOrigin origin) {
        this.value = value;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaInput other && Arrays.equals(value, other.value) && Objects.equals(origin, other.origin);
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
