package io.modelcast.job.drift;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.score.ScoreSink;
import io.modelcast.model.drift.Profile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Counts what one model version on one scoring subtask is given and scores, in the bins of its
 * training {@link Profile}, window by window: the features of one batch in {@value #SAMPLE} (a PSI
 * is a comparison of shares, which a sample keeps, and binning every feature of every input would
 * cost as much as scoring it) and the scores of the same batches. When a window has ended, {@link
 * #flushIfDue} hands its counts on as {@link DriftCounts}. Used by its subtask's thread only.
 */
public final class DriftTracker {

    /** One batch in this many is counted. */
    public static final int SAMPLE = 4;

    private final Profile profile;
    private final String model;
    private final long version;
    private final int subtask;
    private final long windowMillis;
    private final double[] featureShares;
    private final long[] featureCounts;
    private final long[] scoreCounts = new long[Profile.SCORE_BINS];
    private final float[] row;
    private final CountingScores scores = new CountingScores();
    private long windowStart;
    private long records;
    private long batches;

    public DriftTracker(Profile profile, String model, long version, int subtask, long windowMillis, long nowMillis) {
        this.profile = profile;
        this.model = model;
        this.version = version;
        this.subtask = subtask;
        this.windowMillis = windowMillis;
        int features = profile.featureCount();
        this.featureCounts = new long[features * Profile.FEATURE_BINS];
        this.featureShares = new double[features * Profile.FEATURE_BINS];
        for (int f = 0; f < features; f++) {
            System.arraycopy(profile.features().get(f).shares(), 0, featureShares, f * Profile.FEATURE_BINS, Profile.FEATURE_BINS);
        }
        this.row = new float[features];
        this.windowStart = windowStart(nowMillis);
    }

    /**
     * Whether to count this batch — one in {@value #SAMPLE} — and if so its features are counted; then
     * score it through {@link #scoring}.
     */
    public boolean sample(InputBatch batch) {
        if (++batches % SAMPLE != 0 || !batch.hasFeatures()) {
            return false;
        }
        List<Profile.Bins> bins = profile.features();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.featureCount(i) != row.length) {
                continue;
            }
            batch.copyFeatures(i, row, 0);
            for (int f = 0; f < row.length; f++) {
                featureCounts[f * Profile.FEATURE_BINS + bins.get(f).bin(row[f])]++;
            }
            records++;
        }
        return true;
    }

    /** A sink that counts each score, then passes everything on to {@code sink}; one, reused batch after batch. */
    public ScoreSink scoring(ScoreSink sink) {
        scores.delegate = sink;
        return scores;
    }

    /** Counts each score in its bin, then passes everything on. */
    private final class CountingScores implements ScoreSink {
        private ScoreSink delegate;

        @Override
        public void output(int input, String output) {
            delegate.output(input, output);
        }

        @Override
        public void prediction(int input, double score, int label) {
            scoreCounts[Profile.scoreBin(score)]++;
            delegate.prediction(input, score, label);
        }

        @Override
        public void rejected(int input, String reason) {
            delegate.rejected(input, reason);
        }

        @Override
        public void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
                Optional<RemoteRequest.Fallback> fallback) {
            delegate.remote(from, pointer, kind, instances, fallback);
        }
    }

    /** The counts of the window that ended, if one has and anything was counted in it; counting goes on in the current one. */
    public Optional<DriftCounts> flushIfDue(long nowMillis) {
        if (nowMillis < windowStart + windowMillis) {
            return Optional.empty();
        }
        Optional<DriftCounts> ended = Optional.empty();
        if (records > 0) {
            DriftCounts counts = new DriftCounts();
            counts.model = model;
            counts.modelVersion = version;
            counts.subtask = subtask;
            counts.windowStart = windowStart;
            counts.records = records;
            counts.features = row.length;
            counts.featureCounts = featureCounts.clone();
            counts.scoreCounts = scoreCounts.clone();
            counts.featureShares = featureShares;
            counts.scoreShares = profile.scoreShares();
            ended = Optional.of(counts);
        }
        Arrays.fill(featureCounts, 0);
        Arrays.fill(scoreCounts, 0);
        records = 0;
        windowStart = windowStart(nowMillis);
        return ended;
    }

    private long windowStart(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, windowMillis);
    }
}
