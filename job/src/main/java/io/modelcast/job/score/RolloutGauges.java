package io.modelcast.job.score;

import org.apache.flink.metrics.MetricGroup;

import java.util.HashSet;
import java.util.Set;
import java.util.function.ToLongFunction;

/** The gauges of each name's rollout, registered once per name (Flink cannot unregister a metric). */
final class RolloutGauges {

    private final MetricGroup metrics;
    private final LiveModelTable live;
    private final Set<String> registered = new HashSet<>();

    RolloutGauges(MetricGroup metrics, LiveModelTable live) {
        this.metrics = metrics;
        this.live = live;
    }

    /**
     * Gauges of a name's rollout, in group {@code model.<name>}: the challenger's version (0: none),
     * records and failures of both sides, records both scored alike (shadow), and whether it is
     * suspended (1) — what the rollout report adds up, per subtask.
     */
    void register(String name) {
        if (!registered.add(name)) {
            return;
        }
        MetricGroup group = metrics.addGroup("model", name);
        group.gauge("challengerVersion", () -> figure(name, f -> f.challengerVersion));
        group.gauge("championRecords", () -> figure(name, f -> f.championRecords));
        group.gauge("championErrors", () -> figure(name, f -> f.championErrors));
        group.gauge("challengerRecords", () -> figure(name, f -> f.challengerRecords));
        group.gauge("challengerErrors", () -> figure(name, f -> f.challengerErrors));
        group.gauge("agreedRecords", () -> figure(name, f -> f.agreed));
        group.gauge("challengerSuspended", () -> figure(name, f -> f.suspended ? 1 : 0));
    }

    /** One figure of a name's running rollout, read from the metrics thread; 0 when none runs. */
    private long figure(String name, ToLongFunction<RolloutFigures> figure) {
        ServedModel served = live.get(name);
        RolloutFigures figures = served == null ? null : served.figures();
        return figures == null ? 0 : figure.applyAsLong(figures);
    }

}
