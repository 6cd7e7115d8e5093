package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * The broadcast state of builds before {@link io.modelcast.job.modelupdates.ValidatedModel}: a
 * model version as its model file's bytes (and, for a remote model, its fallback's). Kept only so
 * that savepoints of those builds restore: the scorer converts it once
 * ({@link io.modelcast.job.score.LegacyModelState}). A Flink POJO; its class name and fields are
 * part of those savepoints.
 */
public class ModelUpdate {

    public long version;
    public String type;
    public long createdAtMillis;

    /** Where the model came from, for logs: the model file's path. */
    public String source;

    /** The whole model file, as validated by the loader. */
    public byte[] fileBytes;

    /**
     * For a {@code remote} model that falls back to a local one: that model's version, file path
     * and file bytes, validated by the loader too. 0 and null otherwise.
     */
    public long fallbackVersion;

    public String fallbackSource;
    public byte[] fallbackFileBytes;

    public ModelUpdate() {}

    public ModelUpdate(long version, String type, long createdAtMillis, String source, byte[] fileBytes) {
        this.version = version;
        this.type = type;
        this.createdAtMillis = createdAtMillis;
        this.source = source;
        this.fileBytes = fileBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate other
                && version == other.version
                && createdAtMillis == other.createdAtMillis
                && Objects.equals(type, other.type)
                && Objects.equals(source, other.source)
                && Arrays.equals(fileBytes, other.fileBytes)
                && fallbackVersion == other.fallbackVersion
                && Objects.equals(fallbackSource, other.fallbackSource)
                && Arrays.equals(fallbackFileBytes, other.fallbackFileBytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, type, createdAtMillis, source, Arrays.hashCode(fileBytes));
    }

    @Override
    public String toString() {
        return "ModelUpdate{version=" + version + ", type='" + type + "', source='" + source + "'"
                + (fallbackVersion == 0 ? "" : ", fallbackVersion=" + fallbackVersion) + "}";
    }
}
