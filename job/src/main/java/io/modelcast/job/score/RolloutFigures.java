package io.modelcast.job.score;

import java.util.Arrays;

/**
 * What one subtask has seen of a rollout since its challenger started — a scoring subtask, or, for a
 * remote challenger, a subtask of the remote step ({@link #remote}): per side (champion
 * and challenger), records scored and failed and a score histogram of {@value #BINS} fixed bins over
 * [0, 1] (integer models' outputs are not scores: their histograms stay empty); for a shadow, how
 * often both sides agreed; and the challenger's scoring time per record in power-of-two bins. Counts
 * are cumulative, so the report aggregation keeps each subtask's latest and adds them up; they start
 * again from zero after a restore (the rollout then takes longer, never decides on less). A Flink
 * POJO, mutable: the scorer updates its own and emits copies.
 */
public class RolloutFigures {

    /** Score histogram bins over [0, 1]. */
    public static final int BINS = 10;
    /** Scoring-time bins: bin k holds times in [2^k, 2^(k+1)) nanoseconds per record. */
    public static final int TIME_BINS = 40;

    public String name;
    public int subtask;
    /** Whether these are the remote step's figures (a remote challenger's side), not a scoring subtask's. */
    public boolean remote;
    public long championVersion;
    public long challengerVersion;
    public boolean suspended;
    /** When this copy was emitted, epoch milliseconds. */
    public long atMillis;

    public long championRecords;
    public long championErrors;
    public long[] championScores = new long[BINS];
    public long challengerRecords;
    public long challengerErrors;
    public long[] challengerScores = new long[BINS];
    /** Records both sides scored (shadow), and of those, how many they agreed on. */
    public long compared;
    public long agreed;
    public long[] challengerNanos = new long[TIME_BINS];

    public RolloutFigures() {}

    RolloutFigures(long championVersion, long challengerVersion, int subtask) {
        this.championVersion = championVersion;
        this.challengerVersion = challengerVersion;
        this.subtask = subtask;
    }

    /** The figures of subtask {@code subtask} of the remote step, for a remote challenger. */
    public static RolloutFigures ofRemote(long championVersion, long challengerVersion, int subtask) {
        RolloutFigures figures = new RolloutFigures(championVersion, challengerVersion, subtask);
        figures.remote = true;
        return figures;
    }

    public void champion(boolean failed, double score, boolean hasScore) {
        championRecords++;
        if (failed) {
            championErrors++;
        } else if (hasScore) {
            championScores[bin(score)]++;
        }
    }

    public void challenger(boolean failed, double score, boolean hasScore) {
        challengerRecords++;
        if (failed) {
            challengerErrors++;
        } else if (hasScore) {
            challengerScores[bin(score)]++;
        }
    }

    public void compared(boolean agree) {
        compared++;
        if (agree) {
            agreed++;
        }
    }

    public void challengerTime(long nanosPerRecord) {
        int bin = nanosPerRecord <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(nanosPerRecord);
        challengerNanos[Math.min(bin, TIME_BINS - 1)]++;
    }

    void suspended() {
        suspended = true;
    }

    /** The challenger's share of failed records so far, 0 before it has scored any. */
    double challengerErrorRate() {
        return challengerRecords == 0 ? 0 : (double) challengerErrors / challengerRecords;
    }

    static int bin(double score) {
        if (!(score > 0)) {
            return 0;
        }
        return Math.min(BINS - 1, (int) (score * BINS));
    }

    /** A copy for {@code name}, stamped now, to emit. */
    public RolloutFigures copyFor(String name, long nowMillis) {
        RolloutFigures copy = new RolloutFigures(championVersion, challengerVersion, subtask);
        copy.name = name;
        copy.remote = remote;
        copy.atMillis = nowMillis;
        copy.suspended = suspended;
        copy.championRecords = championRecords;
        copy.championErrors = championErrors;
        copy.championScores = championScores.clone();
        copy.challengerRecords = challengerRecords;
        copy.challengerErrors = challengerErrors;
        copy.challengerScores = challengerScores.clone();
        copy.compared = compared;
        copy.agreed = agreed;
        copy.challengerNanos = challengerNanos.clone();
        return copy;
    }

    @Override
    public String toString() {
        return "RolloutFigures{" + name + " " + championVersion + " vs " + challengerVersion + ", "
                + (remote ? "remote " : "") + "subtask " + subtask
                + ", challenger " + challengerRecords + " records, " + challengerErrors + " errors"
                + (suspended ? ", suspended" : "") + ", scores " + Arrays.toString(challengerScores) + "}";
    }
}
