package io.modelcast.job.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/** For tests that fail a job on purpose: a quick restart strategy, and waiting for the restarts. */
public final class Restarts {

    private Restarts() {}

    /** {@code configuration}, set to restart a failed job up to {@code attempts} times, 200 ms apart. */
    public static Configuration quickly(Configuration configuration, int attempts) {
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return configuration;
    }

    /** Waits until the job's {@code numRestarts} metric, read through REST, reaches {@code restarts}. */
    public static void await(URI rest, JobID job, long restarts, Duration timeout) throws InterruptedException {
        Await.until("the job has restarted " + restarts + " times", timeout, () -> {
            try {
                return JobMetrics.jobMetric(rest, job, "numRestarts").orElse(0) >= restarts;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
