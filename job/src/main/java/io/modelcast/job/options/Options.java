package io.modelcast.job.options;

import java.time.Duration;

/** Checks shared by the option records. */
final class Options {

    private Options() {}

    static void requirePositive(Duration duration, String option) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(option + " must be longer than 0s, was " + duration);
        }
    }
}
