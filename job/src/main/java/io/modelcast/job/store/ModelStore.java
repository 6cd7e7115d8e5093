package io.modelcast.job.store;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A content-addressed copy of the models the loader lets through, on the job's file system
 * ({@code --model-store}; by default {@code model-store/} in the checkpoint directory), so that
 * broadcast state — which every scoring subtask checkpoints — holds a reference of a few dozen bytes
 * ({@link ModelBytes.Stored}) instead of the model. Each copy is named by its SHA-256 and written
 * once, under a temporary name and then renamed, so a reader never sees half a copy; a copy already
 * there is not written again. Copies are deleted only by the loader that wrote them
 * ({@link #delete}), once no recent checkpoint can name them.
 *
 * <p>Limits: the directory must be one every TaskManager can read (on a cluster, the shared file
 * system of the checkpoints); a restore whose copy is gone falls back to the newest valid file in
 * the models directory.
 */
public final class ModelStore implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String directory;

    /** @param directory the store's directory, as Flink's file systems name it; created on first use */
    public ModelStore(String directory) {
        this.directory = directory;
    }

    /** The store's directory. */
    public String directory() {
        return directory;
    }

    /**
     * Stores {@code bytes} (unless a copy is already there) and returns the reference to them.
     *
     * @throws IOException if the copy cannot be written
     */
    public ModelBytes.Stored put(byte[] bytes) throws IOException {
        String sha256 = sha256(bytes);
        Path dir = new Path(directory);
        Path file = new Path(dir, sha256 + ".bin");
        FileSystem fs = file.getFileSystem();
        // Fully qualified (file:///…), so a reader on another machine resolves it the same way.
        String location = file.makeQualified(fs).toString();
        if (fs.exists(file) && fs.getFileStatus(file).getLen() == bytes.length) {
            return new ModelBytes.Stored(sha256, bytes.length, location);
        }
        fs.mkdirs(dir);
        Path temporary = new Path(dir, "." + sha256 + "-" + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(temporary, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(bytes);
        }
        if (!fs.rename(temporary, file)) {
            fs.delete(temporary, false);
            if (!fs.exists(file)) {
                throw new IOException("cannot move " + temporary + " to " + file);
            }
        }
        return new ModelBytes.Stored(sha256, bytes.length, location);
    }

    /** Deletes a stored copy; false if it was not there. */
    public boolean delete(ModelBytes.Stored stored) throws IOException {
        Path file = new Path(stored.location());
        return file.getFileSystem().delete(file, false);
    }

    @Override
    public String toString() {
        return directory;
    }

    /** The SHA-256 of {@code bytes}, lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
