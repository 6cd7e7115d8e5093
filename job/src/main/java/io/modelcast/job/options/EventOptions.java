package io.modelcast.job.options;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Raw events and the features computed from them ({@code --input-format events}).
 *
 * @param timeField the field holding an event's time
 * @param maxOutOfOrderness how far behind the newest event of its key an event may come and still count
 * @param emitFeatures whether JSON results show the features the model saw
 * @param stateTtl how long a key's histories live without an event
 */
public record EventOptions(String timeField, Duration maxOutOfOrderness, boolean emitFeatures, Duration stateTtl)
        implements Serializable {

    public EventOptions {
        Objects.requireNonNull(timeField, "timeField");
        if (timeField.isBlank()) {
            throw new IllegalArgumentException("--time-field must name a field");
        }
        if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("--max-out-of-orderness must be 0s or more, was " + maxOutOfOrderness);
        }
        Options.requirePositive(stateTtl, "--feature-state-ttl");
    }

    /** The defaults, for events read without options (tests). */
    public static EventOptions defaults() {
        return new EventOptions(EventArgs.DEFAULT_TIME_FIELD, Duration.ofSeconds(5), false, Duration.ofDays(7));
    }
}
