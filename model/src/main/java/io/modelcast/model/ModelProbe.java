package io.modelcast.model;

import java.util.Arrays;


/**
 * The check every model passes before the job broadcasts it. An {@link IntegerModel} must score a
 * fixed set of probe inputs — small, large, negative, extreme — without throwing and without
 * returning null. A {@link FeatureModel} must score a batch of probe vectors — zeros, ones,
 * negatives, large values — in one real inference call, giving finite scores between 0 and 1.
 */
public final class ModelProbe {

    /** The probe inputs of integer models. */
    public static final long[] INPUTS = {0, 1, 7, 19, 20, 123, -7, Long.MAX_VALUE, Long.MIN_VALUE};

    /** The value of every feature in each probe vector of feature models. */
    public static final float[] FEATURE_VALUES = {0f, 1f, -1f, 0.5f, 1000f, -1000f};

    private ModelProbe() {}

    /**
     * Probes a model.
     *
     * @throws ProbeFailedException naming the input and what went wrong
     */
    public static void check(Model model) throws ProbeFailedException {
        if (model instanceof IntegerModel integer) {
            checkInteger(integer);
        } else if (model instanceof FeatureModel features) {
            checkFeatures(features);
        } else {
            throw new ProbeFailedException("is neither an integer model nor a feature model", null);
        }
    }

    private static void checkInteger(IntegerModel model) throws ProbeFailedException {
        for (long input : INPUTS) {
            String output;
            try {
                output = model.transform(input);
            } catch (RuntimeException | StackOverflowError e) {
                throw new ProbeFailedException("fails on probe input " + input + ": " + e, e);
            }
            if (output == null) {
                throw new ProbeFailedException("returns nothing for probe input " + input, null);
            }
        }
    }

    private static void checkFeatures(FeatureModel model) throws ProbeFailedException {
        int k = model.featureCount();
        int rows = FEATURE_VALUES.length;
        float[] features = new float[rows * k];
        for (int row = 0; row < rows; row++) {
            Arrays.fill(features, row * k, (row + 1) * k, FEATURE_VALUES[row]);
        }
        double[] scores = new double[rows];
        try {
            model.score(features, rows, scores);
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProbeFailedException("fails on its probe vectors (" + k + " features each): " + e, e);
        }
        for (int row = 0; row < rows; row++) {
            if (!(scores[row] >= 0 && scores[row] <= 1)) {
                throw new ProbeFailedException("scores the probe vector of all " + FEATURE_VALUES[row] + " as " + scores[row]
                        + ", not a probability between 0 and 1", null);
            }
        }
    }

    /** A model that failed its probe. */
    public static final class ProbeFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
