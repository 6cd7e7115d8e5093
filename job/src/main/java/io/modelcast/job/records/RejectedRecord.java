package io.modelcast.job.records;

import java.util.Objects;

/**
 * An input the job did not score, with the reason and, for Kafka input, where it was read (so it
 * can go to the dead-letter topic). A Flink POJO.
 */
public class RejectedRecord {

    /** The input as received (cut to a bounded length if it was too long). */
    public String input;

    /** Why it was not scored, for people: "not an integer", "no model yet", … */
    public String reason;

    /** Where the input was read in Kafka; null for socket input. */
    public RecordOrigin origin;

    public RejectedRecord() {}

    public RejectedRecord(String input, String reason) {
        this(input, reason, null);
    }

    public RejectedRecord(String input, String reason, RecordOrigin origin) {
        this.input = input;
        this.reason = reason;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedRecord other
                && Objects.equals(input, other.input)
                && Objects.equals(reason, other.reason)
                && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, reason, origin);
    }

    @Override
    public String toString() {
        return "RejectedRecord{input='" + input + "', reason='" + reason + "'}";
    }
}
