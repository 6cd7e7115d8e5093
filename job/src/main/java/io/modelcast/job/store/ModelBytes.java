package io.modelcast.job.store;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model's binary form as a validated update carries it: the bytes themselves ({@link Inline}), or
 * a reference to a content-addressed copy in the {@link ModelStore} ({@link Stored}) — what keeps
 * broadcast state small, since every scoring subtask checkpoints its own copy of it.
 */
public sealed interface ModelBytes permits ModelBytes.Inline, ModelBytes.Stored {

    /** How many bytes the binary form has. */
    int length();

    /**
     * The bytes; for a stored copy, read and checked against its length and SHA-256.
     *
     * @throws IOException if a stored copy is gone, cannot be read, or is not what was stored
     */
    byte[] read() throws IOException;

    /** The binary form itself. Not to be modified. */
    record Inline(byte[] bytes) implements ModelBytes {
        public Inline {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public byte[] read() {
            return bytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes.length + " bytes";
        }
    }

    /**
     * A copy in a model store.
     *
     * @param sha256 the bytes' SHA-256, lower-case hex: also the copy's file name
     * @param length how many bytes were stored
     * @param location the copy's path, as Flink's file systems name it ({@code file:///…}, {@code s3://…})
     */
    record Stored(String sha256, int length, String location) implements ModelBytes {
        public Stored {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(location, "location");
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative, was " + length);
            }
        }

        @Override
        public byte[] read() throws IOException {
            Path path = new Path(location);
            byte[] bytes;
            try (FSDataInputStream in = path.getFileSystem().open(path)) {
                // At most one byte more than stored: a longer file is not the copy, whatever its size.
                bytes = in.readNBytes(length + 1);
            }
            if (bytes.length != length) {
                throw new IOException("the stored model at " + location + " has " + (bytes.length > length ? "more" : bytes.length)
                        + " bytes, not the " + length + " that were stored");
            }
            String actual = ModelStore.sha256(bytes);
            if (!actual.equals(sha256)) {
                throw new IOException("the stored model at " + location + " has SHA-256 " + actual + ", not " + sha256);
            }
            return bytes;
        }

        @Override
        public String toString() {
            return length + " bytes stored at " + location;
        }
    }
}
