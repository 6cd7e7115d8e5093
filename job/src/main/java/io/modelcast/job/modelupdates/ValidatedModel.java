package io.modelcast.job.modelupdates;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A model version the loader has validated, on its way to every scoring subtask and kept in their
 * broadcast state: its version, type and publication time, where it came from (for logs), the
 * model in its {@linkplain io.modelcast.model.BinaryForm binary form} — what a scorer builds its
 * {@link io.modelcast.job.score.LiveModel} from without decoding or checking anything again — and,
 * for a remote model that falls back to a local one, that local model, validated too. Immutable.
 *
 * @param source the model file's path
 * @param binary the model's binary form; not to be modified
 * @param fallback the local model a remote model falls back to, if it has one (which has none)
 */
@TypeInfo(ValidatedModelSerializer.Info.class)
public record ValidatedModel(
        long version, String type, long createdAtMillis, String source, byte[] binary, Optional<ValidatedModel> fallback) {

    public ValidatedModel {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(fallback, "fallback");
        if (fallback.isPresent() && fallback.get().fallback().isPresent()) {
            throw new IllegalArgumentException("a fallback model has no fallback of its own");
        }
    }

    /** A model without a fallback. */
    public ValidatedModel(long version, String type, long createdAtMillis, String source, byte[] binary) {
        this(version, type, createdAtMillis, source, binary, Optional.empty());
    }

    /** This model with {@code model} as its fallback. */
    public ValidatedModel withFallback(ValidatedModel model) {
        return new ValidatedModel(version, type, createdAtMillis, source, binary, Optional.of(model));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidatedModel other
                && version == other.version
                && createdAtMillis == other.createdAtMillis
                && type.equals(other.type)
                && source.equals(other.source)
                && Arrays.equals(binary, other.binary)
                && fallback.equals(other.fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, type, createdAtMillis, source, Arrays.hashCode(binary), fallback);
    }

    @Override
    public String toString() {
        return "ValidatedModel{version=" + version + ", type='" + type + "', source='" + source + "', " + binary.length
                + " bytes" + fallback.map(f -> ", fallbackVersion=" + f.version()).orElse("") + "}";
    }
}
