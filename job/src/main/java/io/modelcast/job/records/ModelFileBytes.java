package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file found in the model directory, as read: its path and its bytes (at most the size limit
 * plus one byte), or, if it could not be read, why. A Flink POJO.
 */
public class ModelFileBytes {

    public String path;

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

    public static ModelFileBytes read(String path, byte[] bytes) {
        return new ModelFileBytes(path, bytes, null);
    }

    public static ModelFileBytes unreadable(String path, String error) {
        return new ModelFileBytes(path, new byte[0], error);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFileBytes other
                && Objects.equals(path, other.path)
                && Arrays.equals(bytes, other.bytes)
                && Objects.equals(readError, other.readError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(bytes), readError);
    }

    @Override
    public String toString() {
        return "ModelFileBytes{path='" + path + "', " + (bytes == null ? 0 : bytes.length) + " bytes"
                + (readError == null ? "" : ", readError='" + readError + "'") + "}";
    }
}
