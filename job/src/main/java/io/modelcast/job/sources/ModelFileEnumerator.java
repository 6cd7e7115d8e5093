package io.modelcast.job.sources;

import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lists the candidate model files of a model directory, one split per file, for Flink's {@code
 * FileSource}.
 *
 * <p>Only files directly in the directory count, not subdirectories. Skipped: hidden names
 * (starting with {@code .} or {@code _}, such as the fitter's temporary files) and {@code
 * model-current.json}, the fitter's link to the newest file, which would otherwise be read once
 * as a duplicate. Every other file is a candidate, so a misnamed or stray file is rejected with a
 * reason rather than ignored. A directory that is missing for a moment (a remount, say) yields no
 * files and a warning instead of failing the job.
 */
public final class ModelFileEnumerator implements FileEnumerator {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFileEnumerator.class);

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path directory : paths) {
            FileSystem fs = directory.getFileSystem();
            FileStatus[] entries;
            try {
                entries = fs.listStatus(directory);
            } catch (FileNotFoundException e) {
                entries = null;
            }
            if (entries == null) {
                LOG.warn("Model directory {} does not exist (yet); no model files found", directory);
                continue;
            }
            for (FileStatus entry : entries) {
                if (!entry.isDir() && isCandidate(entry.getPath().getName())) {
                    // The path identifies the split: FileSource never reads a path twice.
                    splits.add(new FileSourceSplit(entry.getPath().toString(), entry.getPath(), 0,
                            entry.getLen(), entry.getModificationTime(), entry.getLen()));
                }
            }
        }
        return splits;
    }

    /** Whether a file of that name in the model directory is read as a model. */
    public static boolean isCandidate(String fileName) {
        return !fileName.startsWith(".")
                && !fileName.startsWith("_")
                && !fileName.equals(ModelDirectory.CURRENT_LINK_NAME);
    }
}
