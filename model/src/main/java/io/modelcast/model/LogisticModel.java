package io.modelcast.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Logistic regression: score = sigmoid(weights · x + bias), in plain Java (double arithmetic over
 * float features). Any feature standardisation is folded into the weights and bias by the trainer,
 * so the model applies to raw features.
 */
public final class LogisticModel implements FeatureModel {

    /** The type name written in model files. */
    public static final String TYPE = "logistic";

    private final double[] weights;
    private final double bias;
    private final double threshold;
    private final Evaluation evaluation;

    /**
     * @param weights one per feature, at least one, all finite
     * @param bias finite
     * @param threshold in [0, 1]
     * @param evaluation how the model did on held-out data, or null if unknown
     */
    public LogisticModel(double[] weights, double bias, double threshold, Evaluation evaluation) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a logistic model needs at least one weight");
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite numbers");
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("the bias must be a finite number");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("the threshold must be in [0, 1], was " + threshold);
        }
        this.weights = weights.clone();
        this.bias = bias;
        this.threshold = threshold;
        this.evaluation = evaluation;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double bias() {
        return bias;
    }

    /** How the model did on held-out data when it was trained, or null. */
    public Evaluation evaluation() {
        return evaluation;
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    @Override
    public int featureCount() {
        return weights.length;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public void score(float[] features, int rows, double[] scores) {
        int k = weights.length;
        for (int row = 0, offset = 0; row < rows; row++, offset += k) {
            double z = bias;
            for (int j = 0; j < k; j++) {
                z += weights[j] * features[offset + j];
            }
            scores[row] = sigmoid(z);
        }
    }

    /** 1 / (1 + e^−z), without overflow for large |z|. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogisticModel other && Arrays.equals(weights, other.weights) && bias == other.bias
                && threshold == other.threshold && Objects.equals(evaluation, other.evaluation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(weights), bias, threshold, evaluation);
    }

    @Override
    public String toString() {
        return "LogisticModel{features=" + weights.length + ", bias=" + bias + ", threshold=" + threshold + "}";
    }
}
