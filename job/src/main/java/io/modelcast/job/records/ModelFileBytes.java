package io.modelcast.job.records;

import io.modelcast.model.ModelName;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file found in the model directory, as read: the model name it is a version of, its path and
 * its bytes (at most the size limit plus one byte), or, if it could not be read, why. A Flink POJO.
 */
public class ModelFileBytes {

    /** The model name: {@code default} for the models directory's own files, else its subdirectory's. */
    public String name = ModelName.DEFAULT;

    /** The file's path; for a record of the model topic, {@code kafka:TOPIC/PARTITION@OFFSET}. */
    public String path;

    /** How the paths of model topic records begin. */
    public static final String TOPIC_PATH_PREFIX = "kafka:";

    /** The content read; empty if the file could not be read. */
    public byte[] bytes;

    /** Why the file could not be read, or {@code null} if it was. */
    public String readError;

    public ModelFileBytes() {}

    public ModelFileBytes(String path, byte[] bytes, String readError) {
        this.path = path;
        this.bytes = bytes;
        this.readError = readError;
    }

    /** This file as a version of model {@code name}. */
    public ModelFileBytes named(String name) {
        this.name = name;
        return this;
    }

    public static ModelFileBytes read(String path, byte[] bytes) {
        return new ModelFileBytes(path, bytes, null);
    }

    public static ModelFileBytes unreadable(String path, String error) {
        return new ModelFileBytes(path, new byte[0], error);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFileBytes other
                && Objects.equals(name, other.name)
                && Objects.equals(path, other.path)
                && Arrays.equals(bytes, other.bytes)
                && Objects.equals(readError, other.readError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path, Arrays.hashCode(bytes), readError);
    }

    @Override
    public String toString() {
        return "ModelFileBytes{name='" + name + "', path='" + path + "', " + (bytes == null ? 0 : bytes.length) + " bytes"
                + (readError == null ? "" : ", readError='" + readError + "'") + "}";
    }
}
