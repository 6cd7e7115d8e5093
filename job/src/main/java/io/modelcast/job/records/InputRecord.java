package io.modelcast.job.records;

import java.util.Objects;

/**
 * One valid input: the text as it arrived, the integer it holds and, for Kafka input, where it was
 * read. A Flink POJO.
 */
public class InputRecord {

    /** The input as received. */
    public String text;

    /** The integer the text holds. */
    public long value;

    /** Where the input was read in Kafka; null for socket input. */
    public RecordOrigin origin;

    public InputRecord() {}

    public InputRecord(String text, long value) {
        this(text, value, null);
    }

    public InputRecord(String text, long value, RecordOrigin origin) {
        this.text = text;
        this.value = value;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRecord other
                && value == other.value
                && Objects.equals(text, other.text)
                && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, value, origin);
    }

    @Override
    public String toString() {
        return "InputRecord{text='" + text + "', value=" + value + (origin == null ? "" : ", origin=" + origin) + "}";
    }
}
