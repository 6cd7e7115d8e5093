package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka input the job did not score, bound for the dead-letter topic: its original bytes, the
 * reason, and where it was read. A Flink POJO.
 */
public class DeadLetter {

    /** The input record's value, byte for byte; null if it had none. */
    public byte[] value;

    /** Why it was not scored: "not an integer", "not valid UTF-8", "no model yet, …", … */
    public String reason;

    public RecordOrigin origin;

    public DeadLetter() {}

    public DeadLetter(byte[] value, String reason, RecordOrigin origin) {
        this.value = value;
        this.reason = reason;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter other
                && Arrays.equals(value, other.value)
                && Objects.equals(reason, other.reason)
                && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), reason, origin);
    }

    @Override
    public String toString() {
        return "DeadLetter{reason='" + reason + "', origin=" + origin + "}";
    }
}
