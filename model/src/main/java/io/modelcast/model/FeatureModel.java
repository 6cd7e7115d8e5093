package io.modelcast.model;

/**
 * A binary classifier over fixed-length feature vectors: it gives each vector a score, the
 * probability of class 1, and a label, 1 if the score reaches {@link #threshold()}.
 *
 * <p>Rows are scored in batches laid out row-major in one {@code float[]}, so that a compiled model
 * (ONNX Runtime) makes one call per batch.
 */
public interface FeatureModel extends Model {

    /** How many features each vector must have. */
    int featureCount();

    /** The score at or above which the label is 1. */
    double threshold();

    /**
     * Scores {@code rows} vectors.
     *
     * @param features {@code rows × featureCount()} values, row after row (the array may be longer)
     * @param rows how many vectors
     * @param scores where score {@code i} goes, for {@code i < rows}
     * @throws RuntimeException if the model fails on these rows
     */
    void score(float[] features, int rows, double[] scores);

    /** The label of a score. */
    default int label(double score) {
        return score >= threshold() ? 1 : 0;
    }

    /** Scores one vector: convenience for tools and tests. */
    default double score(float[] features) {
        if (features.length != featureCount()) {
            throw new IllegalArgumentException("expected " + featureCount() + " features, got " + features.length);
        }
        double[] score = new double[1];
        score(features, 1, score);
        return score[0];
    }
}
