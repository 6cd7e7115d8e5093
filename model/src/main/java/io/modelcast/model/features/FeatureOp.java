package io.modelcast.model.features;

import java.util.Locale;
import java.util.Optional;

/**
 * What a feature computes from a key's events. Aggregates ({@code count}, {@code sum}, {@code mean},
 * {@code min}, {@code max}, {@code distinct_count}) run over the key's last N events or the events of
 * a sliding event-time window, the current event included; {@code last} and
 * {@code seconds_since_last} look at the key's previous event; {@code value} is the event's own field.
 */
public enum FeatureOp {
    VALUE(true, false),
    COUNT(false, true),
    SUM(true, true),
    MEAN(true, true),
    MIN(true, true),
    MAX(true, true),
    LAST(true, true),
    SECONDS_SINCE_LAST(false, true),
    DISTINCT_COUNT(true, true);

    private final boolean needsField;
    private final boolean stateful;

    FeatureOp(boolean needsField, boolean stateful) {
        this.needsField = needsField;
        this.stateful = stateful;
    }

    /** Whether it reads a numeric field ({@code of}). */
    public boolean needsField() {
        return needsField;
    }

    /** Whether it keeps a key's history ({@code last} or {@code window}). */
    public boolean stateful() {
        return stateful;
    }

    /** As the spec writes it: {@code seconds_since_last}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeatureOp> byLabel(String label) {
        for (FeatureOp op : values()) {
            if (op.label().equals(label)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
