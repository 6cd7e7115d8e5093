package io.modelcast.benchjob;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metric reporter that keeps the {@code modelVersion} gauges of the job running in this JVM, so
 * a benchmark can wait until every scoring subtask has its model before it lets data in. Enabled
 * with {@code metrics.reporter.capture.factory.class} set to {@link Factory}.
 */
public final class GaugeCapture implements MetricReporter {

    static final List<Gauge<?>> MODEL_VERSIONS = new CopyOnWriteArrayList<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (name.equals("modelVersion") && metric instanceof Gauge<?> gauge) {
            MODEL_VERSIONS.add(gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        MODEL_VERSIONS.remove(metric);
    }

    /** Whether {@code subtasks} scoring subtasks report a model. */
    static boolean modelsApplied(int subtasks) {
        return MODEL_VERSIONS.size() >= subtasks
                && MODEL_VERSIONS.stream().allMatch(g -> ((Number) g.getValue()).longValue() > 0);
    }

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new GaugeCapture();
        }
    }
}
