package io.modelcast.job.options;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Drift of inputs and scores from a model's training data.
 *
 * @param window the length of a drift window
 * @param threshold the PSI above which a window gives a drift record
 * @param topic the Kafka topic drift records go to; empty: standard output
 */
public record DriftOptions(Duration window, double threshold, Optional<String> topic) {

    public DriftOptions {
        Options.requirePositive(window, "--drift-window");
        Objects.requireNonNull(topic, "topic");
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("--drift-threshold must be 0 or more, was " + threshold);
        }
    }
}
