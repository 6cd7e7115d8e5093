package io.modelcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What records see while models are swapped, as read from the job's output: the gaps between
 * consecutive results of each scoring subtask, and each result's latency from the moment its
 * input line was due at the paced feed. Both are split into those that end while a swap is under
 * way (from a model's publication until every subtask scores with it, and {@link #AFTERMATH_NANOS}
 * more) and the others — a stall caused by loading a model shows as long gaps and late results.
 * Fed by one reader thread; swaps are marked by the publishing thread.
 */
final class SwapEffects {

    /** How long after the last subtask switched a result still counts as the swap's (closing the old model, say). */
    static final long AFTERMATH_NANOS = 200_000_000L;

    /** Count, median, 99th percentile and maximum of some durations, in milliseconds. */
    record Figures(long count, double p50Millis, double p99Millis, double maxMillis) {
        static Figures of(List<Double> millis) {
            if (millis.isEmpty()) {
                return new Figures(0, 0, 0, 0);
            }
            return new Figures(millis.size(), Stats.percentile(millis, 50), Stats.percentile(millis, 99), Stats.max(millis));
        }
    }

    /** Gaps between a subtask's results, and results' latencies, during swaps and otherwise. */
    record Summary(Figures gapsDuringSwaps, Figures gapsOtherwise, Figures latencyDuringSwaps, Figures latencyOtherwise) {}

    private final Map<Integer, Long> lastSeen = new ConcurrentHashMap<>();
    private final List<Double> gapsDuringSwaps = new ArrayList<>();
    private final List<Double> gapsOtherwise = new ArrayList<>();
    private final List<Double> latencyDuringSwaps = new ArrayList<>();
    private final List<Double> latencyOtherwise = new ArrayList<>();
    private final List<Double> longestPerSwap = new ArrayList<>();
    private volatile double latestLatencyMillis = Double.NaN;
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

    /**
     * A result of {@code subtask} was seen at {@code nanos}; its input was due at the feed at {@code
     * dueNanos} (both {@link System#nanoTime()}).
     */
    synchronized void seen(int subtask, long nanos, long dueNanos) {
        boolean duringSwap = swapping || nanos < swapEndsAt;
        latestLatencyMillis = (nanos - dueNanos) / 1e6;
        (duringSwap ? latencyDuringSwaps : latencyOtherwise).add(latestLatencyMillis);
        Long last = lastSeen.put(subtask, nanos);
        if (last == null) {
            return;
        }
        double gap = (nanos - last) / 1e6;
        if (duringSwap) {
            gapsDuringSwaps.add(gap);
            int swap = longestPerSwap.size() - 1;
            longestPerSwap.set(swap, Math.max(longestPerSwap.get(swap), gap));
        } else {
            gapsOtherwise.add(gap);
        }
    }

    /** The latency of the latest result, in milliseconds; NaN before the first. */
    double latestLatencyMillis() {
        return latestLatencyMillis;
    }

    /** Forgets what was seen so far (the job's start-up), keeping the subtasks' last results. */
    synchronized void reset() {
        gapsDuringSwaps.clear();
        gapsOtherwise.clear();
        latencyDuringSwaps.clear();
        latencyOtherwise.clear();
    }

    synchronized Summary summary() {
        return new Summary(Figures.of(gapsDuringSwaps), Figures.of(gapsOtherwise), Figures.of(latencyDuringSwaps),
                Figures.of(latencyOtherwise));
    }
}
