package io.modelcast.job.drift;

import io.modelcast.job.sinks.JsonLine;
import io.modelcast.model.drift.Profile;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Adds up every scoring subtask's {@link DriftCounts} of a model version per window and, a window
 * after it ended (time for every subtask to send its counts), compares them with the version's
 * training profile: the population stability index of each feature and of the score. A window
 * whose PSI passes {@code --drift-threshold} anywhere gives one JSON line:
 *
 * <pre>{@code
 * {"model":"fraud","modelVersion":4,"windowStart":…,"windowEnd":…,"records":5120,"scorePsi":0.31,
 *  "maxFeaturePsi":1.42,"drifted":["f0","score"],"featurePsi":[1.42,0.01]}
 * }</pre>
 *
 * Keyed by model name and version, with a timer per window; the sums of windows not yet reported
 * are its state (bounded: two windows per version). Counts of a window already reported — a subtask
 * quiet for over a window sends them late — are dropped. Gauges per name, of its latest window:
 * {@code drift.<name>.scorePsi}, {@code drift.<name>.maxFeaturePsi}.
 */
public final class ReportDrift extends KeyedProcessFunction<String, DriftCounts, String> {

    static final MapStateDescriptor<Long, DriftCounts> WINDOWS =
            new MapStateDescriptor<>("drift-windows", Types.LONG, TypeInformation.of(DriftCounts.class));
    /** The start of the last window reported: counts of it or of an earlier one come too late, and are dropped. */
    static final ValueStateDescriptor<Long> LAST_REPORTED = new ValueStateDescriptor<>("drift-last-reported", Types.LONG);

    private final long windowMillis;
    private final double threshold;

    private transient MapState<Long, DriftCounts> windows;
    private transient ValueState<Long> lastReported;
    private transient Map<String, double[]> latest;
    private transient MetricGroup metrics;

    ReportDrift(Duration window, double threshold) {
        this.windowMillis = window.toMillis();
        this.threshold = threshold;
    }

    /** The drift records of {@code counts}. */
    public static DataStream<String> define(DataStream<DriftCounts> counts, Duration window, double threshold) {
        return counts.keyBy(c -> c.model + "@" + c.modelVersion)
                .process(new ReportDrift(window, threshold))
                .returns(Types.STRING)
                .uid("report-drift")
                .name("Report drift (window " + window + ")");
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(WINDOWS);
        lastReported = getRuntimeContext().getState(LAST_REPORTED);
        latest = new ConcurrentHashMap<>();
        metrics = getRuntimeContext().getMetricGroup();
    }

    @Override
    public void processElement(DriftCounts counts, Context ctx, Collector<String> out) throws Exception {
        Long reported = lastReported.value();
        if (reported != null && counts.windowStart <= reported) {
            // A subtask that was quiet for a window sends its counts with its next record: too late for the report.
            return;
        }
        DriftCounts sum = windows.get(counts.windowStart);
        if (sum == null) {
            windows.put(counts.windowStart, counts.copy());
            ctx.timerService().registerProcessingTimeTimer(counts.windowStart + 2 * windowMillis);
        } else {
            sum.add(counts);
            windows.put(counts.windowStart, sum);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
        long windowStart = timestamp - 2 * windowMillis;
        DriftCounts sum = windows.get(windowStart);
        if (sum == null) {
            return;
        }
        windows.remove(windowStart);
        lastReported.update(windowStart);
        double[] featurePsi = new double[sum.features];
        double maxFeaturePsi = 0;
        for (int f = 0; f < sum.features; f++) {
            int from = f * Profile.FEATURE_BINS;
            long[] counts = Arrays.copyOfRange(sum.featureCounts, from, from + Profile.FEATURE_BINS);
            double[] shares = Arrays.copyOfRange(sum.featureShares, from, from + Profile.FEATURE_BINS);
            featurePsi[f] = Profile.psi(shares, counts);
            maxFeaturePsi = Math.max(maxFeaturePsi, Double.isNaN(featurePsi[f]) ? 0 : featurePsi[f]);
        }
        double scorePsi = Profile.psi(sum.scoreShares, sum.scoreCounts);
        gauge(sum.model, scorePsi, maxFeaturePsi);
        if (!(maxFeaturePsi > threshold) && !(scorePsi > threshold)) {
            return;
        }
        List<String> drifted = new ArrayList<>();
        for (int f = 0; f < featurePsi.length; f++) {
            if (featurePsi[f] > threshold) {
                drifted.add("f" + f);
            }
        }
        if (scorePsi > threshold) {
            drifted.add("score");
        }
        out.collect(new JsonLine().field("model", sum.model).field("modelVersion", sum.modelVersion)
                .field("windowStart", windowStart).field("windowEnd", windowStart + windowMillis)
                .field("records", sum.records).field("scorePsi", scorePsi).field("maxFeaturePsi", maxFeaturePsi)
                .field("drifted", drifted).field("featurePsi", featurePsi).toString());
    }

    private void gauge(String model, double scorePsi, double maxFeaturePsi) {
        if (latest.put(model, new double[] {scorePsi, maxFeaturePsi}) == null) {
            MetricGroup group = metrics.addGroup("drift", model);
            group.gauge("scorePsi", () -> latest.get(model)[0]);
            group.gauge("maxFeaturePsi", () -> latest.get(model)[1]);
        }
    }
}
