package io.modelcast.job.labels;

import java.util.Objects;

/** A prediction and the label that judges it, for the evaluation of its model version. A Flink POJO. */
public class LabelledPrediction {

    /** The record's id. */
    public String id;
    public String model;
    public long modelVersion;
    public String role;
    public double score;
    public int predicted;
    /** The true label. */
    public int actual;
    /** The record as it arrived, when labelled examples are written; else null. */
    public String input;

    public LabelledPrediction() {}

    public LabelledPrediction(Prediction prediction, int actual) {
        this.id = prediction.id;
        this.input = prediction.input;
        this.model = prediction.model;
        this.modelVersion = prediction.modelVersion;
        this.role = prediction.role;
        this.score = prediction.score;
        this.predicted = prediction.predicted;
        this.actual = actual;
    }

    /** The key of its evaluation: the model's name and version. */
    public String modelAndVersion() {
        return model + "@" + modelVersion;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledPrediction other && modelVersion == other.modelVersion && score == other.score
                && predicted == other.predicted && actual == other.actual && Objects.equals(model, other.model)
                && Objects.equals(role, other.role) && Objects.equals(id, other.id) && Objects.equals(input, other.input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, model, modelVersion, role, score, predicted, actual, input);
    }

    @Override
    public String toString() {
        return "LabelledPrediction{" + model + " v" + modelVersion + " " + score + " -> " + actual + "}";
    }
}
