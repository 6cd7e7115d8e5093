package io.modelcast.job.options;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/** Drift: how each window's inputs and scores compare with a model's training data. */
public final class DriftArgs {

    public static final String DEFAULT_WINDOW = "1m";
    public static final String DEFAULT_THRESHOLD = "0.2";

    @Option(names = "--drift-window", paramLabel = "DURATION", defaultValue = DEFAULT_WINDOW,
            description = "For models whose file has a training profile (fitter train writes one): compare each window"
                    + " of this length of inputs and scores with it. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--drift-threshold", paramLabel = "PSI", defaultValue = DEFAULT_THRESHOLD,
            description = "A window whose population stability index, of any feature or of the score, is above this"
                    + " gives a drift record. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--drift-topic", paramLabel = "TOPIC",
            description = "Kafka mode: write drift records to this topic (else `drift>` lines on standard output).")
    String topic;

    public DriftOptions toOptions() {
        return new DriftOptions(window, threshold, Optional.ofNullable(topic));
    }
}
