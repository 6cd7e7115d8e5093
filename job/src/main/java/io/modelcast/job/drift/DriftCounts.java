package io.modelcast.job.drift;

import java.util.Arrays;

/**
 * What one scoring subtask counted of one model version's inputs and scores in one drift window,
 * in the bins of the version's training profile, and that profile's shares to compare with: every
 * feature's {@code Profile.FEATURE_BINS} counts (and shares) one after another, then the score's.
 * Sent to {@link ReportDrift} when the window ends. A Flink POJO.
 */
public class DriftCounts {

    public String model;
    public long modelVersion;
    public int subtask;
    /** The window's start, epoch milliseconds (windows are aligned to multiples of their length). */
    public long windowStart;
    public long records;
    public int features;
    /** {@code features × FEATURE_BINS} counts, feature after feature. */
    public long[] featureCounts;
    public long[] scoreCounts;
    /** The training shares, laid out as the counts. */
    public double[] featureShares;
    public double[] scoreShares;

    public DriftCounts() {}

    /** Adds another subtask's counts of the same version and window. */
    void add(DriftCounts other) {
        records += other.records;
        for (int i = 0; i < featureCounts.length; i++) {
            featureCounts[i] += other.featureCounts[i];
        }
        for (int i = 0; i < scoreCounts.length; i++) {
            scoreCounts[i] += other.scoreCounts[i];
        }
    }

    DriftCounts copy() {
        DriftCounts copy = new DriftCounts();
        copy.model = model;
        copy.modelVersion = modelVersion;
        copy.subtask = subtask;
        copy.windowStart = windowStart;
        copy.records = records;
        copy.features = features;
        copy.featureCounts = featureCounts.clone();
        copy.scoreCounts = scoreCounts.clone();
        copy.featureShares = featureShares;
        copy.scoreShares = scoreShares;
        return copy;
    }

    @Override
    public String toString() {
        return "DriftCounts{" + model + " v" + modelVersion + " @" + windowStart + ", " + records + " records, scores "
                + Arrays.toString(scoreCounts) + "}";
    }
}
