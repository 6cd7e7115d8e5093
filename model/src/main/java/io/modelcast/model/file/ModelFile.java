package io.modelcast.model.file;

import io.modelcast.model.Model;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.rollout.Rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One published model version: the decoded content of a model file.
 *
 * <p>A model file is JSON:
 *
 * <pre>{@code
 * {
 *   "formatVersion" : 2,
 *   "type" : "custom",
 *   "version" : 3,
 *   "createdAt" : "2026-11-21T06:40:00.123Z",
 *   "parameters" : { "isCloned" : true },
 *   "parametersSha256" : "4e3c…"
 * }
 * }</pre>
 *
 * <p>{@code parametersSha256} is the SHA-256 (lowercase hex) of the parameters in the JSON
 * Canonicalization Scheme, RFC 8785 ({@link JsonCanonicalization}); files of format version 1 took
 * it over Java's number form, and are still read. docs/model-format.md specifies the format.
 * Instances are only created by {@link #create} and {@link ModelFileCodec#decode}, so the
 * parameters, the checksum and the model always agree.
 *
 * <p>An optional {@code "promotedFrom"} field names the version whose parameters a promoted (or
 * rolled-back) version republishes. An optional {@code "rollout"} section makes the file a
 * challenger of its name's champion ({@link RolloutFormat}); a file without one is a champion. An
 * optional {@code "featureSpec"} declares the features the model takes, computed from raw events.
 *
 * @param version the model version: strictly increasing across publishes, at least 1
 * @param createdAt when this version was published (for a promoted version: when it was promoted)
 * @param model the model built from the parameters
 * @param parameters the parameters object, as written in the file; callers must not modify it
 * @param parametersSha256 the checksum of the parameters
 * @param promotedFrom the version this one republishes, if it was promoted
 * @param rollout how this version challenges the champion; empty for a champion
 * @param profile how its training data was distributed, for drift ({@link ProfileFormat}); empty if unknown
 * @param featureSpec the features it takes, computed from raw events ({@link FeatureSpec}); empty if it takes
 *     ready-made inputs
 */
public record ModelFile(
        long version,
        Instant createdAt,
        Model model,
        ObjectNode parameters,
        String parametersSha256,
        OptionalLong promotedFrom,
        Optional<Rollout> rollout,
        Optional<Profile> profile,
        Optional<FeatureSpec> featureSpec) {

    public ModelFile {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(parametersSha256, "parametersSha256");
        Objects.requireNonNull(promotedFrom, "promotedFrom");
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(featureSpec, "featureSpec");
        if (version < 1) {
            throw new IllegalArgumentException("model version must be at least 1, was " + version);
        }
    }

    /** A new model file for {@code model}, with its parameters and checksum computed. */
    public static ModelFile create(long version, Instant createdAt, Model model) {
        ObjectNode parameters = ModelTypes.parametersOf(model);
        return new ModelFile(
                version, createdAt, model, parameters, ModelFileCodec.sha256Hex(parameters), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This file as a challenger, rolled out as {@code rollout} says. */
    public ModelFile asChallenger(Rollout rollout) {
        return new ModelFile(version, createdAt, model, parameters, parametersSha256, promotedFrom, Optional.of(rollout),
                profile, featureSpec);
    }

    /** This file with the profile of its training data. */
    public ModelFile withProfile(Optional<Profile> trainingProfile) {
        return new ModelFile(version, createdAt, model, parameters, parametersSha256, promotedFrom, rollout, trainingProfile,
                featureSpec);
    }

    /** This file with what its training knew: its data's profile and the features it computed. */
    public ModelFile withTraining(TrainingFacts training) {
        return new ModelFile(version, createdAt, model, parameters, parametersSha256, promotedFrom, rollout, training.profile(),
                training.featureSpec());
    }

    /** Whether this version is a challenger (it has a rollout), not a champion. */
    public boolean isChallenger() {
        return rollout.isPresent();
    }

    /**
     * A new champion version that republishes {@code source}'s parameters, recording where they
     * came from: how a challenger is promoted, a champion restored, or a rollback made.
     */
    public static ModelFile promote(long version, Instant createdAt, ModelFile source) {
        return new ModelFile(version, createdAt, source.model(), source.parameters().deepCopy(),
                source.parametersSha256(), OptionalLong.of(source.version()), Optional.empty(), source.profile(),
                source.featureSpec());
    }

    /** The version whose parameters these are first: itself, or the one it was promoted from. */
    public long origin() {
        return promotedFrom.orElse(version);
    }

    /** The model's type name, as in the file's {@code type} field. */
    public String type() {
        return model.typeName();
    }
}
