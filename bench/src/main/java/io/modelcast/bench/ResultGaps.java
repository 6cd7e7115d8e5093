package io.modelcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gaps between consecutive results of each scoring subtask, as seen on the job's output, split
 * into those that end while a swap is under way (from a model's publication until every subtask
 * scores with it, and {@link #AFTERMATH_NANOS} more) and the others — what a stall caused by loading
 * a model would show as. Fed by one reader thread; swaps are marked by the publishing thread.
 */
final class ResultGaps {

    /** How long after the last subtask switched a gap still counts as the swap's (closing the old model, say). */
    static final long AFTERMATH_NANOS = 200_000_000L;

    /** Gaps in milliseconds: during swaps and otherwise, each with its count and longest. */
    record Summary(long duringSwaps, double longestDuringSwapsMillis, double p99DuringSwapsMillis,
            long otherwise, double longestOtherwiseMillis, double p99OtherwiseMillis) {}

    private final Map<Integer, Long> lastSeen = new ConcurrentHashMap<>();
    private final List<Double> duringSwaps = new ArrayList<>();
    private final List<Double> otherwise = new ArrayList<>();
    private final List<Double> longestPerSwap = new ArrayList<>();
    private volatile boolean swapping;
    private volatile long swapEndsAt;

    /** A model is about to be published. */
    synchronized void swapStarts() {
        longestPerSwap.add(0.0);
        swapping = true;
    }

    /** The longest gap of each swap so far, in milliseconds (the last one may still grow). */
    synchronized List<Double> longestPerSwap() {
        return List.copyOf(longestPerSwap);
    }

    /** Every subtask scores with the new model. */
    void swapEnded() {
        swapEndsAt = System.nanoTime() + AFTERMATH_NANOS;
        swapping = false;
    }

    /** A result of {@code subtask} was seen at {@code nanos}. */
    synchronized void seen(int subtask, long nanos) {
        Long last = lastSeen.put(subtask, nanos);
        if (last == null) {
            return;
        }
        double gap = (nanos - last) / 1e6;
        if (swapping || nanos < swapEndsAt) {
            duringSwaps.add(gap);
            int swap = longestPerSwap.size() - 1;
            longestPerSwap.set(swap, Math.max(longestPerSwap.get(swap), gap));
        } else {
            otherwise.add(gap);
        }
    }

    /** Forgets what was seen so far (the job's start-up), keeping the subtasks' last results. */
    synchronized void reset() {
        duringSwaps.clear();
        otherwise.clear();
    }

    synchronized Summary summary() {
        return new Summary(duringSwaps.size(), Stats.max(duringSwaps), Stats.percentile(duringSwaps, 99),
                otherwise.size(), Stats.max(otherwise), Stats.percentile(otherwise, 99));
    }
}
