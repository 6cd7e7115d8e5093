package io.modelcast.job.records;

import java.util.Objects;

/**
 * A model file the job did not apply, with the reason. A Flink POJO.
 */
public class RejectedModel {

    /** The model file's path. */
    public String file;

    /** The reason as a constant, for counting and alerting: BAD_JSON, NOT_NEWER, … */
    public String reason;

    /** The reason for people, naming the file and the problem. */
    public String message;

    public RejectedModel() {}

    public RejectedModel(String file, String reason, String message) {
        this.file = file;
        this.reason = reason;
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedModel other
                && Objects.equals(file, other.file)
                && Objects.equals(reason, other.reason)
                && Objects.equals(message, other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, reason, message);
    }

    @Override
    public String toString() {
        return "RejectedModel{file='" + file + "', reason=" + reason + ", message='" + message + "'}";
    }
}
