package io.modelcast.job.score;

import io.modelcast.cli.Durations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How old a model may be for its results to count ({@code --max-model-age}): results of an older
 * one are stale, held back from the main output. Serializable, for the operators that apply it.
 */
public final class ModelAgeLimit implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ModelAgeLimit NONE = new ModelAgeLimit(null);

    /** Null for no limit; never seen outside. */
    private final Duration max;

    private ModelAgeLimit(Duration max) {
        this.max = max;
    }

    /** No limit: every result counts. */
    public static ModelAgeLimit none() {
        return NONE;
    }

    /** The limit {@code max}, or none. */
    public static ModelAgeLimit of(Optional<Duration> max) {
        return max.map(limit -> new ModelAgeLimit(Objects.requireNonNull(limit))).orElse(NONE);
    }

    /** Whether a result of a model {@code ageMillis} old is stale. */
    public boolean exceededBy(long ageMillis) {
        return max != null && ageMillis > max.toMillis();
    }

    public Optional<Duration> max() {
        return Optional.ofNullable(max);
    }

    /** For messages: {@code 10m}, or {@code none}. */
    @Override
    public String toString() {
        return max == null ? "none" : Durations.format(max);
    }
}
