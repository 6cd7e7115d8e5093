package io.modelcast.model.drift;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a model's training data was distributed, to tell later whether the data it scores has drifted:
 * for each feature, the training deciles as bin edges and the share of training rows in each bin;
 * and the share of training scores in each of {@value #SCORE_BINS} fixed bins over [0, 1]. Written
 * into the model file by {@code fitter train}; the job compares each window's inputs and scores
 * with it by the population stability index ({@link #psi}). Immutable.
 *
 * @param features one {@link Bins} per feature, in feature order
 * @param scoreShares the share of training scores in each score bin ({@link #scoreBin})
 */
public record Profile(List<Bins> features, double[] scoreShares) {

    /** Score bins: [0, 0.1), [0.1, 0.2), … [0.9, 1]. */
    public static final int SCORE_BINS = 10;
    /** Feature bins: the training deciles cut each feature into this many. */
    public static final int FEATURE_BINS = 10;
    /** Shares are floored at this in the PSI, so an empty bin on either side counts much, not infinitely. */
    static final double FLOOR = 1e-4;

    /**
     * One feature's bins.
     *
     * @param edges the inner cut points, ascending: a value {@code v} falls into the bin counting the edges {@code <= v}
     * @param shares the share of training rows in each bin, one more than the edges
     */
    public record Bins(double[] edges, double[] shares) {
        public Bins {
            if (shares.length != edges.length + 1) {
                throw new IllegalArgumentException("bins need one share more than edges: " + edges.length + " edges, "
                        + shares.length + " shares");
            }
            for (int i = 1; i < edges.length; i++) {
                if (!(edges[i] >= edges[i - 1])) {
                    throw new IllegalArgumentException("bin edges must ascend: " + Arrays.toString(edges));
                }
            }
            edges = edges.clone();
            shares = shares.clone();
        }

        /** The bin of {@code value}: how many edges are at or below it. */
        public int bin(double value) {
            int low = 0;
            int high = edges.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (edges[mid] <= value) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bins other && Arrays.equals(edges, other.edges) && Arrays.equals(shares, other.shares);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(edges) + Arrays.hashCode(shares);
        }
    }

    public Profile {
        features = List.copyOf(features);
        for (Bins bins : features) {
            if (bins.shares().length != FEATURE_BINS) {
                throw new IllegalArgumentException("a profile has " + FEATURE_BINS + " bins per feature, not " + bins.shares().length);
            }
        }
        if (scoreShares.length != SCORE_BINS) {
            throw new IllegalArgumentException("a profile has " + SCORE_BINS + " score shares, not " + scoreShares.length);
        }
        scoreShares = scoreShares.clone();
    }

    /**
     * The profile of training rows and the trained model's scores on them.
     *
     * @param rows {@code scores.length × featureCount} values, row after row
     */
    public static Profile of(float[] rows, int featureCount, double[] scores) {
        int n = scores.length;
        if (n == 0 || rows.length != (long) n * featureCount) {
            throw new IllegalArgumentException("a profile needs rows: " + rows.length + " values for " + n + " scores and "
                    + featureCount + " features");
        }
        Bins[] features = new Bins[featureCount];
        double[] column = new double[n];
        for (int f = 0; f < featureCount; f++) {
            for (int r = 0; r < n; r++) {
                column[r] = rows[r * featureCount + f];
            }
            double[] sorted = column.clone();
            Arrays.sort(sorted);
            double[] edges = new double[FEATURE_BINS - 1];
            for (int d = 1; d < FEATURE_BINS; d++) {
                edges[d - 1] = sorted[(int) Math.min(n - 1, (long) d * n / FEATURE_BINS)];
            }
            Bins bins = new Bins(edges, new double[FEATURE_BINS]);
            long[] counts = new long[FEATURE_BINS];
            for (double value : column) {
                counts[bins.bin(value)]++;
            }
            features[f] = new Bins(edges, shares(counts));
        }
        long[] scoreCounts = new long[SCORE_BINS];
        for (double score : scores) {
            scoreCounts[scoreBin(score)]++;
        }
        return new Profile(List.of(features), shares(scoreCounts));
    }

    /** The score bin of {@code score}: tenths of [0, 1]. */
    public static int scoreBin(double score) {
        if (!(score > 0)) {
            return 0;
        }
        return Math.min(SCORE_BINS - 1, (int) (score * SCORE_BINS));
    }

    /** Each count's share of their total; all zeros for no counts. */
    public static double[] shares(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length && total > 0; i++) {
            shares[i] = (double) counts[i] / total;
        }
        return shares;
    }

    /**
     * The population stability index of {@code actual} counts against {@code expected} shares:
     * Σ (a − e) · ln(a / e) over the bins, both shares floored at {@value #FLOOR}. 0 for identical
     * distributions; above 0.2 is commonly read as a significant shift. NaN for no counts.
     */
    public static double psi(double[] expected, long[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException(expected.length + " expected shares for " + actual.length + " counts");
        }
        double[] shares = shares(actual);
        long total = 0;
        for (long count : actual) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < shares.length; i++) {
            double a = Math.max(FLOOR, shares[i]);
            double e = Math.max(FLOOR, expected[i]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    public int featureCount() {
        return features.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Profile other && features.equals(other.features) && Arrays.equals(scoreShares, other.scoreShares);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, Arrays.hashCode(scoreShares));
    }

    @Override
    public String toString() {
        return "Profile{" + features.size() + " features}";
    }
}
