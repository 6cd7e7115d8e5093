package io.modelcast.job.sources;

import io.modelcast.job.sources.CandidateTracker.Entry;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the model directory every poll interval (on a worker thread of the JobManager) and hands
 * the files newer than any handed out before to the reader. Its checkpointed state is the highest
 * version handed out and at most one split not yet taken by a reader: bounded, however many
 * versions are ever published.
 */
final class ModelDirectoryEnumerator implements SplitEnumerator<ModelCandidatesSplit, ModelDirectoryState> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectoryEnumerator.class);

    private final SplitEnumeratorContext<ModelCandidatesSplit> context;
    private final String directory;
    private final Duration pollInterval;
    private final CandidateTracker tracker;
    /** Candidates not yet taken by the reader, merged into one split. */
    private ModelCandidatesSplit pending;
    private boolean warnedMissing;

    ModelDirectoryEnumerator(SplitEnumeratorContext<ModelCandidatesSplit> context, String directory,
            Duration pollInterval, ModelDirectoryState state) {
        this.context = context;
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.tracker = new CandidateTracker(state.highestHandedOut());
        this.pending = state.pending().orElse(null);
    }

    @Override
    public void start() {
        context.callAsync(this::list, this::onListing, 0, pollInterval.toMillis());
    }

    private List<Entry> list() throws IOException {
        Path dir = new Path(directory);
        FileSystem fs = dir.getFileSystem();
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            statuses = null;
        }
        List<Entry> entries = new ArrayList<>();
        if (statuses == null) {
            if (!warnedMissing) {
                LOG.warn("Model directory {} does not exist (any more?); waiting for it", directory);
                warnedMissing = true;
            }
            return entries;
        }
        warnedMissing = false;
        for (FileStatus status : statuses) {
            if (!status.isDir()) {
                entries.add(new Entry(status.getPath().getName(), status.getPath().toString()));
            }
        }
        return entries;
    }

    private void onListing(List<Entry> entries, @Nullable Throwable error) {
        if (error != null) {
            // A flaky file system must not fail the job: try again at the next poll.
            LOG.warn("Listing the model directory {} failed; trying again in {} ms", directory, pollInterval.toMillis(), error);
            return;
        }
        tracker.onListing(entries).ifPresent(this::offer);
    }

    private void offer(ModelCandidatesSplit split) {
        pending = pending == null ? split : pending.merge(split);
        assignPending();
    }

    private void assignPending() {
        if (pending != null && context.registeredReaders().containsKey(0)) {
            context.assignSplit(pending, 0);
            pending = null;
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {}

    @Override
    public void addSplitsBack(List<ModelCandidatesSplit> splits, int subtaskId) {
        splits.forEach(this::offer);
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public ModelDirectoryState snapshotState(long checkpointId) {
        return new ModelDirectoryState(tracker.highestHandedOut(), Optional.ofNullable(pending));
    }

    @Override
    public void close() {}
}
