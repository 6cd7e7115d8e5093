package io.modelcast.job.sources;

import io.modelcast.job.models.ModelValidator;
import io.modelcast.job.models.ModelValidator.Accepted;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reading model files through Flink's file systems ({@code file://}, {@code hdfs://}, {@code s3://}, …). */
final class ModelFiles {

    private ModelFiles() {}

    /**
     * A file's bytes, at most {@code maxBytes + 1} whatever size the file system reports, so an odd
     * or growing file cannot take the heap (the validator then refuses it as too large). A file that
     * cannot be read — gone since it was listed, say — is a record that says so, never an exception,
     * which would fail the job and, replayed, fail it again.
     */
    static ModelFileBytes read(String path, long maxBytes) {
        Path file = new Path(path);
        try (FSDataInputStream in = file.getFileSystem().open(file)) {
            return ModelFileBytes.read(path, in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16)));
        } catch (IOException | RuntimeException e) {
            return ModelFileBytes.unreadable(path, e.toString());
        }
    }

    /**
     * Reads the candidates newest first until one is valid: returns the invalid ones read on the
     * way, then the valid one (if any). Older candidates are never read.
     */
    static List<ModelFileBytes> newestValid(List<Candidate> candidates, ModelValidator validator, long maxBytes) {
        List<ModelFileBytes> read = new ArrayList<>();
        for (Candidate candidate : candidates) {
            ModelFileBytes file = read(candidate.path(), maxBytes);
            read.add(file);
            if (validator.validate(file) instanceof Accepted) {
                break;
            }
        }
        return read;
    }
}
