package io.modelcast.job.modelupdates;

import io.modelcast.job.store.ModelBytes;
import io.modelcast.model.ModelName;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.rollout.Rollout;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Objects;
import java.util.Optional;

/**
 * A model version the loader has validated, on its way to every scoring subtask and kept in their
 * broadcast state: the model name it is a version of, its version, type and publication time, its
 * rollout if it is a challenger, where it came from (for logs), the
 * model in its {@linkplain io.modelcast.model.BinaryForm binary form} — what a scorer builds its
 * {@link io.modelcast.job.score.LiveModel} from without decoding or checking anything again; the
 * bytes themselves, or a reference to the loader's copy in the model store — and,
 * for a remote model that falls back to a local one, that local model, validated too. Immutable.
 *
 * @param name the model name
 * @param source the model file's path
 * @param bytes the model's binary form, or where the model store keeps it
 * @param rollout how a challenger is rolled out; empty for a champion
 * @param fallback the local model a remote model falls back to, if it has one (which has none)
 * @param profile how the model's training data was distributed, for drift; empty if its file has none
 * @param featureSpec the features the model takes, computed from raw events; empty for a model of ready-made inputs
 */
@TypeInfo(ValidatedModelSerializer.Info.class)
public record ValidatedModel(String name, long version, String type, long createdAtMillis, String source, ModelBytes bytes,
        Optional<Rollout> rollout, Optional<ValidatedModel> fallback, Optional<Profile> profile,
        Optional<FeatureSpec> featureSpec) {

    public ValidatedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(featureSpec, "featureSpec");
        if (fallback.isPresent() && fallback.get().fallback().isPresent()) {
            throw new IllegalArgumentException("a fallback model has no fallback of its own");
        }
    }

    /** A champion of the default model without a fallback: the only kind builds before model names had. */
    public ValidatedModel(long version, String type, long createdAtMillis, String source, byte[] binary) {
        this(ModelName.DEFAULT, version, type, createdAtMillis, source, new ModelBytes.Inline(binary), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This model with its binary form kept as {@code where} says (in the model store, say). */
    public ValidatedModel withBytes(ModelBytes where) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, where, rollout, fallback, profile, featureSpec);
    }

    /** This model with {@code model} as its fallback. */
    public ValidatedModel withFallback(ValidatedModel model) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, bytes, rollout, Optional.of(model), profile, featureSpec);
    }

    /** This model as a version of model {@code name}. */
    public ValidatedModel named(String name) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, bytes, rollout, fallback, profile, featureSpec);
    }

    /** This model with the profile of its training data. */
    public ValidatedModel withProfile(Optional<Profile> trainingProfile) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, bytes, rollout, fallback, trainingProfile, featureSpec);
    }

    /** This model as a challenger, rolled out as {@code rollout} says. */
    public ValidatedModel asChallenger(Rollout rollout) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, bytes, Optional.of(rollout), fallback, profile, featureSpec);
    }

    /** This model with the features it takes computed from raw events by {@code spec}. */
    public ValidatedModel withFeatureSpec(Optional<FeatureSpec> spec) {
        return new ValidatedModel(name, version, type, createdAtMillis, source, bytes, rollout, fallback, profile, spec);
    }

    /** Whether this is a challenger of its name's champion. */
    public boolean isChallenger() {
        return rollout.isPresent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidatedModel other
                && version == other.version
                && name.equals(other.name)
                && rollout.equals(other.rollout)
                && createdAtMillis == other.createdAtMillis
                && type.equals(other.type)
                && source.equals(other.source)
                && bytes.equals(other.bytes)
                && fallback.equals(other.fallback)
                && profile.equals(other.profile)
                && featureSpec.equals(other.featureSpec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, type, createdAtMillis, source, bytes, fallback);
    }

    @Override
    public String toString() {
        return "ValidatedModel{name=" + name + ", version=" + version + rollout.map(r -> ", challenger " + r.describe()).orElse("")
                + ", type='" + type + "', source='" + source + "', " + bytes + fallback.map(f -> ", fallbackVersion=" + f.version()).orElse("") + "}";
    }
}
