package io.modelcast.job.score;

import io.modelcast.job.Descriptors;

/**
 * What a scoring subtask sends now and then, checked as records pass (a broadcast function has no
 * timers): every report interval, each rollout's {@link RolloutFigures}; once a drift window has
 * ended (windows are aligned to the clock), each model's drift counts. A quiet subtask sends them
 * with its next record. One per subtask.
 */
final class PeriodicReports {

    private final long reportIntervalMillis;
    private final long driftWindowMillis;
    private long lastReportMillis;
    private long nextDriftWindowMillis;

    PeriodicReports(long reportIntervalMillis, long driftWindowMillis, long nowMillis) {
        this.reportIntervalMillis = reportIntervalMillis;
        this.driftWindowMillis = driftWindowMillis;
        this.lastReportMillis = nowMillis;
        this.nextDriftWindowMillis = nextWindow(nowMillis);
    }

    /** Sends what is due of the models in {@code live}. */
    void sendIfDue(LiveModelTable live, ResultEmitter.SideOutputs sides) {
        long now = System.currentTimeMillis();
        if (now >= nextDriftWindowMillis) {
            nextDriftWindowMillis = nextWindow(now);
            live.forEach((name, served) -> served.forEachDriftTracker(tracker ->
                    tracker.flushIfDue(now).ifPresent(counts -> sides.output(Descriptors.DRIFT_COUNTS, counts))));
        }
        if (now - lastReportMillis < reportIntervalMillis) {
            return;
        }
        lastReportMillis = now;
        live.forEach((name, served) -> {
            if (served.figures() != null) {
                sides.output(Descriptors.ROLLOUT_FIGURES, served.figures().copyFor(name, now));
            }
        });
    }

    private long nextWindow(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, driftWindowMillis) + driftWindowMillis;
    }
}
