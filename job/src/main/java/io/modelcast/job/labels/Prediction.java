package io.modelcast.job.labels;

import io.modelcast.job.records.Result;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model predicted for a record that can be labelled — one with an id and a score — kept in
 * keyed state until its label arrives or the wait ends. A Flink POJO.
 */
public class Prediction {

    /** The record's id: the JSON input's {@code id}, else its Kafka key. */
    public String id;
    public String model;
    public long modelVersion;
    /** {@link Result.Role#label()}: only, champion or canary. */
    public String role;
    /** The probability of label 1. */
    public double score;
    /** The label the model gave. */
    public int predicted;
    /**
     * What the model scored, kept only when labelled examples are written (else null): the record as
     * it arrived, or for a raw event the features computed from it, {@code {name: value}}.
     */
    public String input;

    public Prediction() {}

    public Prediction(String id, String model, long modelVersion, String role, double score, int predicted) {
        this.id = id;
        this.model = model;
        this.modelVersion = modelVersion;
        this.role = role;
        this.score = score;
        this.predicted = predicted;
    }

    /** The prediction of a result, if it can be labelled: a feature model's, of a record with an id (or Kafka key). */
    public static Optional<Prediction> of(Result result) {
        return of(result, false);
    }

    /** As {@link #of(Result)}, keeping the record's input if {@code keepInput}. */
    public static Optional<Prediction> of(Result result, boolean keepInput) {
        if (!result.isPrediction()) {
            return Optional.empty();
        }
        String id = result.id();
        if (id == null && result.origin() != null && result.origin().key != null) {
            id = new String(result.origin().key, StandardCharsets.UTF_8);
        }
        if (id == null) {
            return Optional.empty();
        }
        Prediction prediction = new Prediction(id, result.model(), result.modelVersion(), result.role().label(),
                result.score().getAsDouble(), Integer.parseInt(result.output()));
        if (keepInput) {
            prediction.input = result.features() != null ? result.features() : result.input();
        }
        return Optional.of(prediction);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction other && modelVersion == other.modelVersion && score == other.score
                && predicted == other.predicted && Objects.equals(id, other.id) && Objects.equals(model, other.model)
                && Objects.equals(role, other.role) && Objects.equals(input, other.input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, model, modelVersion, role, score, predicted);
    }

    @Override
    public String toString() {
        return "Prediction{" + id + ": " + model + " v" + modelVersion + " " + role + " " + score + "}";
    }
}
