package io.modelcast.job.records;

import java.util.Objects;

/**
 * One input scored by a model: the input, the model's output, the version and age of the model
 * that produced it, the scoring subtask (0-based) and, for Kafka input, where the input was read.
 * A feature model's result also carries the score, the label (its {@code output}, as text) and the
 * input's id. A Flink POJO.
 */
public class ScoredRecord {

    public String input;
    public String output;
    public long modelVersion;
    /** How long before scoring the model was published, in milliseconds. */
    public long modelAgeMs;
    public int subtask;
    /** Where the input was read in Kafka; null for socket input. */
    public RecordOrigin origin;

    /** A feature model's score, the probability of label 1; NaN for an integer model's result. */
    public double score = Double.NaN;

    /** The input's id (JSON input), or null. */
    public String id;

    /**
     * On its way to a remote model: the call to make, with {@link #output} not yet known. Null once
     * the result is final, and for results of local models.
     */
    public RemoteCall remote;

    /**
     * For a result of a fallback model: the version of the remote model that failed, and {@link
     * #fallbackReason} why; 0 otherwise.
     */
    public long fallbackFrom;

    /** Why the remote model {@link #fallbackFrom} could not score the input; null if it could. */
    public String fallbackReason;

    public ScoredRecord() {}

    public ScoredRecord(String input, String output, long modelVersion, long modelAgeMs, int subtask, RecordOrigin origin) {
        this.input = input;
        this.output = output;
        this.modelVersion = modelVersion;
        this.modelAgeMs = modelAgeMs;
        this.subtask = subtask;
        this.origin = origin;
    }

    /** A feature model's result: {@code output} is the label, as text. */
    public static ScoredRecord prediction(String input, String id, double score, int label, long modelVersion,
            long modelAgeMs, int subtask, RecordOrigin origin) {
        ScoredRecord record = new ScoredRecord(input, Integer.toString(label), modelVersion, modelAgeMs, subtask, origin);
        record.score = score;
        record.id = id;
        return record;
    }

    /** An input on its way to a remote model: everything but the output, and the call to make. */
    public static ScoredRecord awaitingRemote(String input, String id, long modelVersion, long modelAgeMs, int subtask,
            RecordOrigin origin, RemoteCall call) {
        ScoredRecord record = new ScoredRecord(input, null, modelVersion, modelAgeMs, subtask, origin);
        record.id = id;
        record.remote = call;
        return record;
    }

    /** A copy of every field (the call, too, is copied; the origin is shared: nobody changes it). */
    public ScoredRecord copy() {
        ScoredRecord copy = new ScoredRecord(input, output, modelVersion, modelAgeMs, subtask, origin);
        copy.score = score;
        copy.id = id;
        copy.remote = remote == null ? null : remote.copy();
        copy.fallbackFrom = fallbackFrom;
        copy.fallbackReason = fallbackReason;
        return copy;
    }

    /** Whether this is a feature model's result (with a score and a label). */
    public boolean isPrediction() {
        return !Double.isNaN(score);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredRecord other
                && modelVersion == other.modelVersion
                && modelAgeMs == other.modelAgeMs
                && subtask == other.subtask
                && Objects.equals(input, other.input)
                && Objects.equals(output, other.output)
                && Objects.equals(origin, other.origin)
                && Double.compare(score, other.score) == 0
                && Objects.equals(id, other.id)
                && Objects.equals(remote, other.remote)
                && fallbackFrom == other.fallbackFrom
                && Objects.equals(fallbackReason, other.fallbackReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, output, modelVersion, modelAgeMs, subtask, origin);
    }

    @Override
    public String toString() {
        return "ScoredRecord{input='" + input + "', output='" + output + "', modelVersion="
                + modelVersion + ", modelAgeMs=" + modelAgeMs + ", subtask=" + subtask + (origin == null ? "" : ", origin=" + origin)
                + (isPrediction() ? ", score=" + score : "") + (id == null ? "" : ", id=" + id)
                + (remote == null ? "" : ", remote=" + remote)
                + (fallbackFrom == 0 ? "" : ", fallbackFrom=" + fallbackFrom + ", fallbackReason='" + fallbackReason + "'") + "}";
    }
}
