package io.modelcast.job.sources;

import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/** Reading model files through Flink's file systems ({@code file://}, {@code hdfs://}, {@code s3://}, …). */
public final class ModelFiles {

    private ModelFiles() {}

    /**
     * A file's bytes, at most {@code maxBytes + 1} whatever size the file system reports, so an odd
     * or growing file cannot take the heap (the validator then refuses it as too large). A file that
     * cannot be read — gone since it was listed, say — is a record that says so, never an exception,
     * which would fail the job and, replayed, fail it again.
     */
    public static ModelFileBytes read(String path, long maxBytes) {
        Path file = new Path(path);
        try (FSDataInputStream in = file.getFileSystem().open(file)) {
            return ModelFileBytes.read(path, in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16)));
        } catch (IOException | RuntimeException e) {
            return ModelFileBytes.unreadable(path, e.toString());
        }
    }
}
