package io.modelcast.model.features;

import java.util.Objects;

/**
 * One feature of a {@link FeatureSpec}.
 *
 * @param name what the feature is called in results and training data
 * @param op what it computes
 * @param of the numeric event field it reads, or null for {@code count} and {@code seconds_since_last}
 * @param by the event field whose value keys the history, or null for one history over all events
 * @param last how many of the key's events it looks at, or 0 when it has a window (or is {@code value})
 * @param windowMillis the sliding event-time window, or 0 when it has {@code last} (or is {@code value})
 * @param missing the value when there is no previous event ({@code last}, {@code seconds_since_last})
 */
public record FeatureDef(String name, FeatureOp op, String of, String by, int last, long windowMillis, double missing) {

    public FeatureDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
    }
}
