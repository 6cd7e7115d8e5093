package io.modelcast.job.records;

import java.util.Objects;

/** An input the job did not score, with the reason. A Flink POJO. */
public class RejectedRecord {

    /** The input as received (cut to a bounded length if it was too long). */
    public String input;

    /** Why it was not scored, for people: "not an integer", "no model yet", … */
    public String reason;

    public RejectedRecord() {}

    public RejectedRecord(String input, String reason) {
        this.input = input;
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedRecord other
                && Objects.equals(input, other.input)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, reason);
    }

    @Override
    public String toString() {
        return "RejectedRecord{input='" + input + "', reason='" + reason + "'}";
    }
}
