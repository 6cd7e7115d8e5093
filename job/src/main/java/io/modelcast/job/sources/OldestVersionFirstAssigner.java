package io.modelcast.job.sources;

import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Hands model files to the reader in publishing order: by the version in their name
 * ({@code model-<version>.json}), then, for other names, by modification time.
 *
 * <p>Flink's own assigners hand out the files of one directory listing in no useful order, so at
 * start-up, or when several versions appear within one poll interval, an older version could be
 * read after a newer one: the loader would reject it as not newer, and the job would briefly score
 * with whichever came first. In order, every version is applied in turn and none is refused.
 */
public final class OldestVersionFirstAssigner implements FileSplitAssigner {

    static final Comparator<FileSourceSplit> PUBLISHING_ORDER =
            Comparator.comparingLong(OldestVersionFirstAssigner::versionInName)
                    .thenComparingLong(FileSourceSplit::fileModificationTime)
                    .thenComparing(split -> split.path().toString());

    private final PriorityQueue<FileSourceSplit> splits = new PriorityQueue<>(PUBLISHING_ORDER);

    public OldestVersionFirstAssigner(Collection<FileSourceSplit> initialSplits) {
        splits.addAll(initialSplits);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.poll());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }

    /** Files without a version in their name come after all versioned ones. */
    private static long versionInName(FileSourceSplit split) {
        return ModelDirectory.versionOf(split.path().getName()).orElse(Long.MAX_VALUE);
    }
}
