package io.modelcast.job.records;

import java.util.Objects;

/**
 * One input scored by a model: the input, the model's output, the version and age of the model
 * that produced it, the scoring subtask (0-based) and, for Kafka input, where the input was read.
 * A Flink POJO.
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

    public ScoredRecord() {}

    public ScoredRecord(String input, String output, long modelVersion, long modelAgeMs, int subtask, RecordOrigin origin) {
        this.input = input;
        this.output = output;
        this.modelVersion = modelVersion;
        this.modelAgeMs = modelAgeMs;
        this.subtask = subtask;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredRecord other
                && modelVersion == other.modelVersion
                && modelAgeMs == other.modelAgeMs
                && subtask == other.subtask
                && Objects.equals(input, other.input)
                && Objects.equals(output, other.output)
                && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, output, modelVersion, modelAgeMs, subtask, origin);
    }

    @Override
    public String toString() {
        return "ScoredRecord{input='" + input + "', output='" + output + "', modelVersion="
                + modelVersion + ", modelAgeMs=" + modelAgeMs + ", subtask=" + subtask + (origin == null ? "" : ", origin=" + origin) + "}";
    }
}
