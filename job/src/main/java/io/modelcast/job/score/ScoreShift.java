package io.modelcast.job.score;

/**
 * The population stability index (PSI) between two score histograms of the same fixed bins: {@code
 * Σ (a − e) · ln(a / e)} over the bins' shares, an empty bin counted as a share of {@value #FLOOR}
 * so the index stays finite. 0 means the same distribution; by the usual rule of thumb, below 0.1
 * is no shift, 0.1–0.25 a moderate one, above 0.25 a large one.
 */
public final class ScoreShift {

    /** The share an empty bin counts as. */
    static final double FLOOR = 1e-4;

    private ScoreShift() {}

    /**
     * The PSI of {@code actual} against {@code expected}, or NaN if either holds no scores (integer
     * models have none).
     */
    public static double psi(long[] expected, long[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("histograms of " + expected.length + " and " + actual.length + " bins");
        }
        long expectedTotal = sum(expected);
        long actualTotal = sum(actual);
        if (expectedTotal == 0 || actualTotal == 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(FLOOR, (double) expected[i] / expectedTotal);
            double a = Math.max(FLOOR, (double) actual[i] / actualTotal);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
