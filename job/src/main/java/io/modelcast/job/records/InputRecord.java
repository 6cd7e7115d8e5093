package io.modelcast.job.records;

import java.util.Objects;

/**
 * One parsed input: the text as it arrived (trimmed) and the integer it holds. A Flink POJO.
 */
public class InputRecord {

    /** The input as received, without surrounding white space. */
    public String text;

    /** The integer the text holds. */
    public long value;

    public InputRecord() {}

    public InputRecord(String text, long value) {
        this.text = text;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRecord other && value == other.value && Objects.equals(text, other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, value);
    }

    @Override
    public String toString() {
        return "InputRecord{text='" + text + "', value=" + value + "}";
    }
}
