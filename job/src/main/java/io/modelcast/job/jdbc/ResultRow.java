package io.modelcast.job.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One row of the results table: what became of one input, keyed by where it was read — Kafka topic,
 * partition and offset, or the socket's name, 0 and the line's sequence number. A Flink POJO.
 */
public class ResultRow {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of the input. */
    public enum Status {
        /** A model scored it: {@code output}, {@code modelVersion} (and {@code score}) are set. */
        SCORED,
        /** Scored, by a model older than {@code --max-model-age}: held back from the main output. */
        STALE,
        /** No model scored it; {@code reason} says why. */
        REJECTED
    }

    public String sourceName;
    public int sourcePartition;
    public long sourceOffset;
    public String input;
    /** The model's output (the label, for a feature model); null if rejected. */
    public String output;
    /** A feature model's score; NaN if none. */
    public double score = Double.NaN;
    /** The version of the model that produced the output; 0 if rejected. */
    public long modelVersion;
    /** The remote model version that failed, when a fallback model produced the output; else 0. */
    public long fallbackFrom;
    public Status status;
    /** Why the input was rejected, or why the remote model was fallen back from; else null. */
    public String reason;
    /** The name of the model that scored it; null if rejected. */
    public String model;
    /** {@code champion}, {@code canary} or {@code shadow}; null if rejected. */
    public String role;

    public ResultRow() {}

    /** The row of a result. */
    public static ResultRow of(Result result, Status status) {
        ResultRow row = keyed(result.origin(), result.input());
        row.output = result.output().replace('\u0000', '\uFFFD');
        row.score = result.score().orElse(Double.NaN);
        row.modelVersion = result.modelVersion();
        row.fallbackFrom = result.fallbackFrom().map(Result.RemoteFailure::version).orElse(0L);
        row.reason = result.fallbackFrom().map(Result.RemoteFailure::reason).orElse(null);
        row.status = status;
        row.model = result.model();
        row.role = result.role() == Result.Role.CANARY ? "canary" : "champion";
        return row;
    }

    /**
     * The row of a shadow challenger's outcome, from its shadow line ({@code ShadowLine}): its output
     * (or label and score), its version and the name, role {@code shadow}; REJECTED with the reason
     * when the challenger could not score the input.
     */
    public static ResultRow shadow(String shadowLine) throws IOException {
        JsonNode line = JSON.readTree(shadowLine);
        if (!line.hasNonNull("topic")) {
            throw new IllegalStateException("a shadow line without its input's origin cannot be keyed: " + shadowLine);
        }
        RecordOrigin origin = new RecordOrigin(line.get("topic").asText(), line.path("partition").asInt(),
                line.path("offset").asLong(), 0, null);
        ResultRow row = keyed(origin, line.has("input") ? line.get("input").asText() : line.path("id").asText());
        row.model = line.path("model").asText();
        row.role = "shadow";
        row.modelVersion = line.path("challengerVersion").asLong();
        if (line.has("challengerError")) {
            row.status = Status.REJECTED;
            row.reason = line.get("challengerError").asText();
        } else {
            row.status = Status.SCORED;
            row.output = line.has("challengerOutput") ? line.get("challengerOutput").asText() : line.path("challengerLabel").asText();
            row.score = line.has("challengerScore") ? line.get("challengerScore").asDouble() : Double.NaN;
        }
        return row;
    }

    /** The row of an input no model scored. */
    public static ResultRow of(RejectedRecord rejected) {
        ResultRow row = keyed(rejected.origin, rejected.input);
        row.status = Status.REJECTED;
        row.reason = rejected.reason;
        return row;
    }

    /** The row of a Kafka record that is not a valid input (its bytes as text, bad UTF-8 replaced). */
    public static ResultRow of(DeadLetter letter) {
        ResultRow row = keyed(letter.origin, letter.value == null ? null : new String(letter.value, StandardCharsets.UTF_8));
        row.status = Status.REJECTED;
        row.reason = letter.reason;
        return row;
    }

    private static ResultRow keyed(RecordOrigin origin, String input) {
        if (origin == null) {
            // Every input has an origin once rows are written (the socket path numbers its lines then).
            throw new IllegalStateException("an input without an origin cannot be keyed in the results table: " + input);
        }
        ResultRow row = new ResultRow();
        row.sourceName = origin.topic;
        row.sourcePartition = origin.partition;
        row.sourceOffset = origin.offset;
        // PostgreSQL text cannot hold NUL characters.
        row.input = input == null ? null : input.replace('\u0000', '\uFFFD');
        return row;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRow other
                && sourcePartition == other.sourcePartition
                && sourceOffset == other.sourceOffset
                && Double.compare(score, other.score) == 0
                && modelVersion == other.modelVersion
                && fallbackFrom == other.fallbackFrom
                && Objects.equals(sourceName, other.sourceName)
                && Objects.equals(input, other.input)
                && Objects.equals(output, other.output)
                && status == other.status
                && Objects.equals(reason, other.reason)
                && Objects.equals(model, other.model)
                && Objects.equals(role, other.role);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceName, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "ResultRow{" + sourceName + "-" + sourcePartition + "@" + sourceOffset + ", " + status
                + (output == null ? "" : ", output='" + output + "', modelVersion=" + modelVersion)
                + (reason == null ? "" : ", reason='" + reason + "'") + "}";
    }
}
