package io.modelcast.job.records;

import java.util.Objects;

/**
 * What the remote-scoring step needs to score one record with a {@code remote} model, attached to
 * the record by the scoring operator: the pointer (its model-file parameters, the same string for
 * every record of a version), the instance to send, and — if the pointer falls back to a local
 * model — that model's result, computed up front so a failed call never needs the model itself.
 * After the call, {@link #failure} holds why the record could not be scored, if it could not. A
 * Flink POJO.
 */
public class RemoteCall {

    /** The version of the pointer's model file. */
    public long pointerVersion;

    /** The pointer's {@code parameters} object, as compact JSON. */
    public String pointer;

    /** The JSON array of the one instance to send: {@code [7]} or {@code [[0.5,1.0]]}. */
    public String instance;

    /** The local model version records fall back to; 0 if the pointer fails records instead. */
    public long fallbackVersion;

    /** The fallback model's output for this record (the label, for a feature model). */
    public String fallbackOutput;

    /** The fallback model's score (NaN for an integer model). */
    public double fallbackScore = Double.NaN;

    /** Why the fallback model could not score this record, if it could not. */
    public String fallbackError;

    /** Set after the call if every attempt failed: the reason, for the rejected output. */
    public String failure;

    public RemoteCall() {}

    public RemoteCall(long pointerVersion, String pointer, String instance) {
        this.pointerVersion = pointerVersion;
        this.pointer = pointer;
        this.instance = instance;
    }

    /** A copy of every field. */
    public RemoteCall copy() {
        RemoteCall copy = new RemoteCall(pointerVersion, pointer, instance);
        copy.fallbackVersion = fallbackVersion;
        copy.fallbackOutput = fallbackOutput;
        copy.fallbackScore = fallbackScore;
        copy.fallbackError = fallbackError;
        copy.failure = failure;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteCall other
                && pointerVersion == other.pointerVersion
                && fallbackVersion == other.fallbackVersion
                && Double.compare(fallbackScore, other.fallbackScore) == 0
                && Objects.equals(pointer, other.pointer)
                && Objects.equals(instance, other.instance)
                && Objects.equals(fallbackOutput, other.fallbackOutput)
                && Objects.equals(fallbackError, other.fallbackError)
                && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pointerVersion, instance, failure);
    }

    @Override
    public String toString() {
        return "RemoteCall{pointerVersion=" + pointerVersion + ", instance=" + instance
                + (fallbackVersion == 0 ? "" : ", fallbackVersion=" + fallbackVersion)
                + (failure == null ? "" : ", failure='" + failure + "'") + "}";
    }
}
