package io.modelcast.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Order statistics of measurements: medians and percentiles by the nearest-rank method. */
final class Stats {

    private Stats() {}

    /** The smallest value with at least {@code percentile}% of the values at or below it. */
    static double percentile(Collection<? extends Number> values, double percentile) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values.size());
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double median(Collection<? extends Number> values) {
        return percentile(values, 50);
    }

    static double max(Collection<? extends Number> values) {
        return percentile(values, 100);
    }

    /** p50, p90, p99 and max of some values. */
    record Distribution(double p50, double p90, double p99, double max, int count) {
        static Distribution of(Collection<? extends Number> values) {
            return new Distribution(percentile(values, 50), percentile(values, 90), percentile(values, 99),
                    Stats.max(values), values.size());
        }
    }
}
