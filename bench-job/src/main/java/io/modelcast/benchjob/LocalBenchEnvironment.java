package io.modelcast.benchjob;

import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded mini cluster every benchmark job runs in: the project's {@code config.yaml} as
 * {@code bin/job-local} reads it, slots sized by the job, the web UI on a free loopback port, and
 * {@link GaugeCapture} as a metrics reporter so the benchmark can see when every subtask has its
 * model.
 */
final class LocalBenchEnvironment {

    private LocalBenchEnvironment() {}

    static StreamExecutionEnvironment create(String flinkConf, JobOptions job) {
        Configuration conf = GlobalConfiguration.loadConfiguration(flinkConf);
        conf.removeConfig(TaskManagerOptions.NUM_TASK_SLOTS);
        conf.setString("metrics.reporter.capture.factory.class", GaugeCapture.Factory.class.getName());
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        ModelcastJob.configure(env, job);
        return env;
    }
}
