package io.modelcast.job.options;

import io.modelcast.job.InputFormat;
import io.modelcast.job.score.ModelAgeLimit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How inputs are scored.
 *
 * @param inputFormat what each input holds: an integer, or a feature vector (csv, json)
 * @param batchSize at most this many inputs go into one batch, one model call, one remote request
 * @param parallelism the scoring operator's parallelism; empty: the environment's default
 * @param maxPending how many inputs a scoring subtask holds while it has no model
 * @param maxModelAge results of an older model are held back as stale; empty: no limit
 */
public record ScoringOptions(InputFormat inputFormat, int batchSize, OptionalInt parallelism, int maxPending,
        Optional<Duration> maxModelAge) {

    public ScoringOptions {
        Objects.requireNonNull(inputFormat, "inputFormat");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(maxModelAge, "maxModelAge");
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
        }
        if (parallelism.isPresent() && parallelism.getAsInt() < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism.getAsInt());
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("--max-pending must not be negative, was " + maxPending);
        }
        maxModelAge.ifPresent(age -> Options.requirePositive(age, "--max-model-age"));
    }

    /** {@link #maxModelAge} as the operators apply it. */
    public ModelAgeLimit modelAgeLimit() {
        return ModelAgeLimit.of(maxModelAge);
    }
}
