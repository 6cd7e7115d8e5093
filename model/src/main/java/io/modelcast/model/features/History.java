package io.modelcast.model.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One key's events for one feature, in event-time order: (time, value) pairs, bounded. Keeps what
 * the feature needs for an event as late as {@code latenessMillis} behind the newest: for {@code last
 * N}, the N events before the late zone and every event in it; for a window, the events younger
 * than window + lateness (at most {@value #MAX_EVENTS}); for the previous-event ops, two events and
 * the late zone. Not thread-safe.
 */
final class History {

    /** The most events a windowed history keeps; older ones are dropped first. */
    static final int MAX_EVENTS = 100_000;

    private long[] times = new long[4];
    private double[] values = new double[4];
    private int size;

    int size() {
        return size;
    }

    /** The newest event's time; only when it holds one. */
    long newest() {
        return times[size - 1];
    }

    /** Adds an event after any of the same time; returns its index. */
    int add(long time, double value) {
        int at = size;
        while (at > 0 && times[at - 1] > time) {
            at--;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        times[at] = time;
        values[at] = value;
        size++;
        return at;
    }

    /** The feature's value for the event at {@code at}, just added. */
    double compute(FeatureDef feature, int at) {
        long time = times[at];
        switch (feature.op()) {
            case LAST, SECONDS_SINCE_LAST -> {
                int previous = at - 1;
                if (previous < 0 || (feature.windowMillis() > 0 && times[previous] <= time - feature.windowMillis())) {
                    return feature.missing();
                }
                return feature.op() == FeatureOp.LAST ? values[previous] : (time - times[previous]) / 1000.0;
            }
            default -> {
                int from = feature.last() > 0 ? Math.max(0, at - feature.last() + 1) : firstAfter(time - feature.windowMillis(), at);
                return aggregate(feature.op(), from, at);
            }
        }
    }

    private int firstAfter(long bound, int at) {
        int from = at;
        while (from > 0 && times[from - 1] > bound) {
            from--;
        }
        return from;
    }

    private double aggregate(FeatureOp op, int from, int to) {
        int count = to - from + 1;
        switch (op) {
            case COUNT:
                return count;
            case DISTINCT_COUNT: {
                Set<Double> distinct = new HashSet<>();
                for (int i = from; i <= to; i++) {
                    distinct.add(values[i]);
                }
                return distinct.size();
            }
            default:
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = from; i <= to; i++) {
                    sum += values[i];
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
                return switch (op) {
                    case SUM -> sum;
                    case MEAN -> sum / count;
                    case MIN -> min;
                    case MAX -> max;
                    default -> throw new IllegalStateException("not an aggregate: " + op);
                };
        }
    }

    /** Drops what no event within {@code latenessMillis} of the newest can need. */
    void evict(FeatureDef feature, long latenessMillis) {
        if (size == 0) {
            return;
        }
        long newest = times[size - 1];
        int lateZone = size - firstAfter(newest - latenessMillis - 1, size - 1);
        int keep;
        if (feature.windowMillis() > 0 && feature.op() != FeatureOp.LAST && feature.op() != FeatureOp.SECONDS_SINCE_LAST) {
            keep = size - firstAfter(newest - latenessMillis - feature.windowMillis(), size - 1);
            keep = Math.min(keep, MAX_EVENTS);
        } else if (feature.last() > 0) {
            keep = feature.last() + lateZone;
        } else {
            keep = 2 + lateZone;
        }
        int drop = size - Math.min(size, keep);
        if (drop > 0) {
            System.arraycopy(times, drop, times, 0, size - drop);
            System.arraycopy(values, drop, values, 0, size - drop);
            size -= drop;
        }
    }

    /** A copy that shares nothing with this one. */
    History copy() {
        History copy = new History();
        copy.times = Arrays.copyOf(times, Math.max(4, size));
        copy.values = Arrays.copyOf(values, Math.max(4, size));
        copy.size = size;
        return copy;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(times[i]);
            out.writeDouble(values[i]);
        }
    }

    static History read(DataInput in) throws IOException {
        History history = new History();
        int size = in.readInt();
        if (size < 0 || size > MAX_EVENTS + FeatureSpec.MAX_LAST) {
            throw new IOException("a feature history of " + size + " events is not one this build wrote");
        }
        history.times = new long[Math.max(4, size)];
        history.values = new double[Math.max(4, size)];
        for (int i = 0; i < size; i++) {
            history.times[i] = in.readLong();
            history.values[i] = in.readDouble();
        }
        history.size = size;
        return history;
    }
}
