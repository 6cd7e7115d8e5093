package io.modelcast.cli;

import java.util.Random;

/**
 * A hidden labelled problem for demos and tests, shared by {@code fitter gen-data} and {@code
 * tcpsource --labelled}: each feature is normal with its own mean and spread (so standardisation
 * matters), and the label is drawn from a logistic model of the standardised features. Everything
 * hidden follows from the concept's seed, so two uses of one concept sample the same problem, and
 * another concept is another problem — other feature distributions and another relation to the
 * label, which is how demos drift.
 */
public final class SyntheticConcept {

    private final int features;
    private final double[] mean;
    private final double[] spread;
    private final double[] weight;
    private final double bias;

    /** The concept of seed {@code concept} over {@code features} features. */
    public SyntheticConcept(long concept, int features) {
        if (features < 1) {
            throw new IllegalArgumentException("a concept needs at least 1 feature, not " + features);
        }
        Random hidden = new Random(concept);
        this.features = features;
        mean = new double[features];
        spread = new double[features];
        weight = new double[features];
        for (int j = 0; j < features; j++) {
            mean[j] = hidden.nextDouble() * 10 - 5;
            spread[j] = 0.5 + hidden.nextDouble() * 4.5;
            weight[j] = hidden.nextGaussian() * 1.5;
        }
        bias = hidden.nextGaussian() * 0.5;
    }

    /**
     * Draws one row from {@code random} into {@code row} (its features) and returns its label, 0 or
     * 1: the features first, in order, then the label — the draws {@code fitter gen-data} has always made.
     */
    public int draw(Random random, double[] row) {
        double logit = bias;
        for (int j = 0; j < features; j++) {
            double z = random.nextGaussian();
            logit += weight[j] * z;
            row[j] = mean[j] + spread[j] * z;
        }
        return random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }

    public int features() {
        return features;
    }
}
