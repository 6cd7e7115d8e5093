package io.modelcast.job.sources;

import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;

import java.time.Duration;

/**
 * The directory watch that discovers new model files: Flink's {@link FileSource} in continuous
 * mode, one whole file per record, handed out oldest version first.
 *
 * <p>Limits, from FileSource: a path is read once, when first seen (a file rewritten in place is
 * not read again — publish new versions under new names, as the fitter does); a file still being
 * written when first seen is read cut short (the loader then rejects it); and the source remembers
 * every path it has seen in its checkpointed state.
 */
public final class ModelFileSource {

    private ModelFileSource() {}

    public static FileSource<ModelFileBytes> watching(Path directory, Duration pollInterval, long maxModelBytes) {
        return FileSource.forBulkFileFormat(new WholeModelFileFormat(maxModelBytes), directory)
                .monitorContinuously(pollInterval)
                .setFileEnumerator(ModelFileEnumerator::new)
                .setSplitAssigner(OldestVersionFirstAssigner::new)
                .build();
    }
}
