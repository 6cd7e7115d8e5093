package io.modelcast.job.labels;

/**
 * What one model version's labelled predictions of one window add up to: counts, the sum of their
 * log-losses, and score histograms of {@value #BINS} fixed bins over [0, 1], one for records labelled
 * 1 and one for those labelled 0 — from which the AUC follows (a pair of records whose scores share a
 * bin counts as half ordered, so the AUC is exact to within the share of such pairs). Bounded: the
 * same size whatever the number of records. A Flink POJO, mutable: the window's accumulator.
 */
public class EvaluationFigures {

    /** Score histogram bins over [0, 1]. */
    public static final int BINS = 100;

    /** Scores are clipped to [ε, 1 − ε] for the log-loss, so a confident mistake costs much but not infinitely. */
    static final double EPSILON = 1e-15;

    public String role;
    public long records;
    public long correct;
    public long positives;
    public long predictedPositives;
    public double logLossSum;
    public long[] positiveScores = new long[BINS];
    public long[] negativeScores = new long[BINS];

    public EvaluationFigures() {}

    /** Adds one labelled prediction. */
    public void add(LabelledPrediction labelled) {
        role = labelled.role;
        records++;
        if (labelled.predicted == labelled.actual) {
            correct++;
        }
        if (labelled.predicted == 1) {
            predictedPositives++;
        }
        double p = Math.min(1 - EPSILON, Math.max(EPSILON, labelled.score));
        if (labelled.actual == 1) {
            positives++;
            positiveScores[bin(labelled.score)]++;
            logLossSum -= Math.log(p);
        } else {
            negativeScores[bin(labelled.score)]++;
            logLossSum -= Math.log(1 - p);
        }
    }

    /** Adds another window part's figures (for merging windows). */
    public EvaluationFigures merge(EvaluationFigures other) {
        role = other.role != null ? other.role : role;
        records += other.records;
        correct += other.correct;
        positives += other.positives;
        predictedPositives += other.predictedPositives;
        logLossSum += other.logLossSum;
        for (int b = 0; b < BINS; b++) {
            positiveScores[b] += other.positiveScores[b];
            negativeScores[b] += other.negativeScores[b];
        }
        return this;
    }

    public double accuracy() {
        return records == 0 ? Double.NaN : (double) correct / records;
    }

    /** The mean log-loss (binary cross-entropy) of the scores. */
    public double logLoss() {
        return records == 0 ? Double.NaN : logLossSum / records;
    }

    public double positiveRate() {
        return records == 0 ? Double.NaN : (double) positives / records;
    }

    public double predictedPositiveRate() {
        return records == 0 ? Double.NaN : (double) predictedPositives / records;
    }

    /**
     * The area under the ROC curve: the chance that a record labelled 1 scores above one labelled 0,
     * ties (pairs within one bin) counting half. NaN while one of the labels has no records.
     */
    public double auc() {
        long negatives = records - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double ordered = 0;
        long negativesBelow = 0;
        for (int b = 0; b < BINS; b++) {
            ordered += positiveScores[b] * (negativesBelow + 0.5 * negativeScores[b]);
            negativesBelow += negativeScores[b];
        }
        return ordered / ((double) positives * negatives);
    }

    static int bin(double score) {
        if (!(score > 0)) {
            return 0;
        }
        return Math.min(BINS - 1, (int) (score * BINS));
    }
}
