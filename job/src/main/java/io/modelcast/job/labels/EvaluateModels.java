package io.modelcast.job.labels;

import io.modelcast.job.sinks.JsonLine;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The evaluation of each model version over a window: its labelled predictions add up in {@link
 * EvaluationFigures} ({@link Add}), and when the window ends one JSON line reports them:
 *
 * <pre>{@code
 * {"model":"fraud","modelVersion":4,"role":"canary","windowStart":1764842400000,"windowEnd":1764842460000,
 *  "labelled":1234,"accuracy":0.912,"logLoss":0.231,"auc":0.957,"positiveRate":0.30,"predictedPositiveRate":0.28}
 * }</pre>
 *
 * ({@code auc} null while one label has no records). Metrics, per model name, of its latest
 * window of any version (during a rollout, the champion's and the canary's windows take turns): gauges {@code evaluation.<name>.modelVersion}, {@code .labelled}, {@code .accuracy}, {@code
 * .logLoss}, {@code .auc}.
 */
public final class EvaluateModels extends ProcessWindowFunction<EvaluationFigures, String, String, TimeWindow> {

    /** The latest window's figures per name, for the gauges. */
    private transient Map<String, Latest> latest;
    private transient MetricGroup metrics;

    private record Latest(long version, EvaluationFigures figures) {}

    /** Adds up one window's labelled predictions of one model version. */
    public static final class Add implements AggregateFunction<LabelledPrediction, EvaluationFigures, EvaluationFigures> {
        @Override
        public EvaluationFigures createAccumulator() {
            return new EvaluationFigures();
        }

        @Override
        public EvaluationFigures add(LabelledPrediction labelled, EvaluationFigures figures) {
            figures.add(labelled);
            return figures;
        }

        @Override
        public EvaluationFigures getResult(EvaluationFigures figures) {
            return figures;
        }

        @Override
        public EvaluationFigures merge(EvaluationFigures a, EvaluationFigures b) {
            return a.merge(b);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        latest = new ConcurrentHashMap<>();
        metrics = getRuntimeContext().getMetricGroup();
    }

    @Override
    public void process(String modelAndVersion, Context ctx, Iterable<EvaluationFigures> all, Collector<String> out) {
        EvaluationFigures figures = all.iterator().next();
        int at = modelAndVersion.lastIndexOf('@');
        String model = modelAndVersion.substring(0, at);
        long version = Long.parseLong(modelAndVersion.substring(at + 1));
        out.collect(line(model, version, figures, ctx.window().getStart(), ctx.window().getEnd()));
        if (latest.put(model, new Latest(version, figures)) == null) {
            MetricGroup group = metrics.addGroup("evaluation", model);
            group.gauge("modelVersion", () -> latest.get(model).version());
            group.gauge("labelled", () -> latest.get(model).figures().records);
            group.gauge("accuracy", () -> latest.get(model).figures().accuracy());
            group.gauge("logLoss", () -> latest.get(model).figures().logLoss());
            group.gauge("auc", () -> latest.get(model).figures().auc());
        }
    }

    static String line(String model, long version, EvaluationFigures figures, long start, long end) {
        return new JsonLine().field("model", model)
                .field("modelVersion", version)
                .field("role", figures.role)
                .field("windowStart", start)
                .field("windowEnd", end)
                .field("labelled", figures.records)
                .field("accuracy", figures.accuracy())
                .field("logLoss", figures.logLoss())
                .field("auc", figures.auc())
                .field("positiveRate", figures.positiveRate())
                .field("predictedPositiveRate", figures.predictedPositiveRate())
                .toString();
    }
}
