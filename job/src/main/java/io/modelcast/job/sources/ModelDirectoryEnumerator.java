package io.modelcast.job.sources;

import io.modelcast.job.sources.CandidateTracker.Entry;
import io.modelcast.job.sources.CandidateTracker.Offer;

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
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the model directory every poll interval and hands what is new to a reader — one split at a
 * time: while the reader works on one, newer listings are merged into a single pending split, so a
 * slow read (a large model, a slow file system) never queues up work for files already superseded.
 * Its checkpointed state is the highest version handed out, a split counter and that pending split:
 * bounded, however many versions are ever published.
 *
 * <p>Threads: the listing runs on a worker thread and touches nothing but the directory path;
 * everything else runs on the coordinator thread.
 */
final class ModelDirectoryEnumerator implements SplitEnumerator<ModelCandidatesSplit, ModelDirectoryState> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectoryEnumerator.class);

    private final SplitEnumeratorContext<ModelCandidatesSplit> context;
    private final String directory;
    private final Duration pollInterval;
    private final CandidateTracker tracker;
    private long nextSplit;
    /** Files not yet taken by a reader, merged into one split; null if none. */
    private ModelCandidatesSplit pending;
    /** Readers that asked for work (they have none), in the order they asked. */
    private final Set<Integer> idleReaders = new LinkedHashSet<>();
    private boolean warnedMissing;

    ModelDirectoryEnumerator(SplitEnumeratorContext<ModelCandidatesSplit> context, String directory,
            Duration pollInterval, ModelDirectoryState state) {
        this.context = context;
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.tracker = new CandidateTracker(state.highestHandedOut());
        this.nextSplit = state.nextSplit();
        this.pending = state.pending().orElse(null);
    }

    @Override
    public void start() {
        context.callAsync(this::list, this::onListing, 0, pollInterval.toMillis());
    }

    /** The files of the directory, or empty if it does not exist; on a worker thread. */
    private Optional<List<Entry>> list() throws IOException {
        Path dir = new Path(directory);
        FileSystem fs = dir.getFileSystem();
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        if (statuses == null) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>(statuses.length);
        for (FileStatus status : statuses) {
            if (!status.isDir()) {
                entries.add(new Entry(status.getPath().getName(), status.getPath().toString()));
            }
        }
        return Optional.of(entries);
    }

    private void onListing(Optional<List<Entry>> entries, @Nullable Throwable error) {
        if (error != null) {
            // A flaky file system must not fail the job: try again at the next poll.
            LOG.warn("Listing the model directory {} failed; trying again in {} ms", directory, pollInterval.toMillis(), error);
            return;
        }
        if (entries.isEmpty()) {
            if (!warnedMissing) {
                LOG.warn("Model directory {} does not exist (any more?); waiting for it", directory);
                warnedMissing = true;
            }
            return;
        }
        warnedMissing = false;
        tracker.onListing(entries.get()).ifPresent(this::offer);
    }

    private void offer(Offer offer) {
        ModelCandidatesSplit split = ModelCandidatesSplit.of("models-" + nextSplit++, offer.reappeared(), offer.fresh());
        pending = pending == null ? split : pending.merge(split);
        assignPending();
    }

    private void assignPending() {
        if (pending == null) {
            return;
        }
        for (Iterator<Integer> readers = idleReaders.iterator(); readers.hasNext(); ) {
            int reader = readers.next();
            readers.remove();
            if (context.registeredReaders().containsKey(reader)) {
                context.assignSplit(pending, reader);
                pending = null;
                return;
            }
        }
    }

    /** A reader has finished its split (or has none): it gets the pending one, now or when there is one. */
    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        idleReaders.add(subtaskId);
        assignPending();
    }

    /**
     * A reader failed before the next checkpoint: what it was given goes back to pending, to be
     * merged with anything newer and read when it asks again.
     */
    @Override
    public void addSplitsBack(List<ModelCandidatesSplit> splits, int subtaskId) {
        idleReaders.remove(subtaskId);
        for (ModelCandidatesSplit split : splits) {
            pending = pending == null ? split : split.merge(pending);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // It asks for work itself, once it has finished any split restored with it.
    }

    @Override
    public ModelDirectoryState snapshotState(long checkpointId) {
        return new ModelDirectoryState(tracker.highestHandedOut(), nextSplit, Optional.ofNullable(pending));
    }

    @Override
    public void close() {}
}
