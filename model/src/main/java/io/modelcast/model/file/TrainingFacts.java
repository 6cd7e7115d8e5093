package io.modelcast.model.file;

import io.modelcast.model.drift.Profile;
import io.modelcast.model.features.FeatureSpec;

import java.util.Objects;
import java.util.Optional;

/**
 * What a model's training knew besides its parameters, published with it: how the training data was
 * distributed (for drift) and the features it computed from raw events (so the job computes the same).
 */
public record TrainingFacts(Optional<Profile> profile, Optional<FeatureSpec> featureSpec) {

    public TrainingFacts {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(featureSpec, "featureSpec");
    }

    /** Nothing known. */
    public static TrainingFacts none() {
        return new TrainingFacts(Optional.empty(), Optional.empty());
    }
}
