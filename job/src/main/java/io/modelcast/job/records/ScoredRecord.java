package io.modelcast.job.records;

import java.util.Objects;

/**
 * One input scored by a model: the input, the model's output, the version of the model that
 * produced it and the scoring subtask (0-based). A Flink POJO.
 */
public class ScoredRecord {

    public String input;
    public String output;
    public long modelVersion;
    public int subtask;

    public ScoredRecord() {}

    public ScoredRecord(String input, String output, long modelVersion, int subtask) {
        this.input = input;
        this.output = output;
        this.modelVersion = modelVersion;
        this.subtask = subtask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredRecord other
                && modelVersion == other.modelVersion
                && subtask == other.subtask
                && Objects.equals(input, other.input)
                && Objects.equals(output, other.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, output, modelVersion, subtask);
    }

    @Override
    public String toString() {
        return "ScoredRecord{input='" + input + "', output='" + output + "', modelVersion="
                + modelVersion + ", subtask=" + subtask + "}";
    }
}
