package io.modelcast.job.sources;

import io.modelcast.job.sources.CandidateTracker.Entry;
import io.modelcast.job.sources.CandidateTracker.Offer;
import io.modelcast.model.ModelName;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lists the models directory every poll interval — its flat files, the model named {@code default},
 * and each subdirectory named for a model ({@link ModelName}) — and hands what is new to a reader,
 * one split per name at a time: while the reader works on one, newer listings are merged into a
 * single pending split per name, so a slow read (a large model, a slow file system) never queues up
 * work for files already superseded. Its checkpointed state is the highest version handed out per
 * name, a split counter and the pending splits: bounded by the number of names, however many
 * versions are ever published. A subdirectory whose name is not a model name is ignored with a WARN
 * (once each time it appears).
 *
 * <p>Threads: the listing runs on a worker thread and touches nothing but the directory path;
 * everything else runs on the coordinator thread.
 */
final class ModelDirectoryEnumerator implements SplitEnumerator<ModelCandidatesSplit, ModelDirectoryState> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectoryEnumerator.class);

    private final SplitEnumeratorContext<ModelCandidatesSplit> context;
    private final String directory;
    private final Duration pollInterval;
    /** Per model name, what its directory held and which versions were handed out. */
    private final Map<String, CandidateTracker> trackers = new TreeMap<>();
    private long nextSplit;
    /** Per name, files not yet taken by a reader, merged into one split; in the order they are to be read. */
    private final LinkedHashMap<String, ModelCandidatesSplit> pending = new LinkedHashMap<>();
    /** Readers that asked for work (they have none), in the order they asked. */
    private final Set<Integer> idleReaders = new LinkedHashSet<>();
    private Set<String> previousStrayDirectories = Set.of();
    private boolean warnedMissing;

    ModelDirectoryEnumerator(SplitEnumeratorContext<ModelCandidatesSplit> context, String directory,
            Duration pollInterval, ModelDirectoryState state) {
        this.context = context;
        this.directory = directory;
        this.pollInterval = pollInterval;
        state.highestHandedOut().forEach((name, highest) -> trackers.put(name, new CandidateTracker(highest)));
        this.nextSplit = state.nextSplit();
        state.pending().forEach(split -> pending.put(split.name(), split));
    }

    /** One listing: the files of each model name, and subdirectories that are not model names. */
    record Listing(Map<String, List<Entry>> byName, Set<String> strayDirectories) {}

    @Override
    public void start() {
        context.callAsync(this::list, this::onListing, 0, pollInterval.toMillis());
    }

    /** The files of the directory and of its model subdirectories, or empty if it does not exist; on a worker thread. */
    private Optional<Listing> list() throws IOException {
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
        Map<String, List<Entry>> byName = new TreeMap<>();
        Set<String> strays = new TreeSet<>();
        byName.put(ModelName.DEFAULT, files(statuses));
        for (FileStatus status : statuses) {
            String name = status.getPath().getName();
            if (!status.isDir() || name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (!ModelName.isValid(name) || name.equals(ModelName.DEFAULT)) {
                strays.add(name);
                continue;
            }
            try {
                FileStatus[] inside = fs.listStatus(status.getPath());
                byName.put(name, inside == null ? List.of() : files(inside));
            } catch (FileNotFoundException e) {
                // Removed since the directory was listed: nothing to read.
            }
        }
        return Optional.of(new Listing(byName, strays));
    }

    private static List<Entry> files(FileStatus[] statuses) {
        List<Entry> entries = new ArrayList<>(statuses.length);
        for (FileStatus status : statuses) {
            if (!status.isDir()) {
                entries.add(new Entry(status.getPath().getName(), status.getPath().toString()));
            }
        }
        return entries;
    }

    private void onListing(Optional<Listing> listing, @Nullable Throwable error) {
        if (error != null) {
            // A flaky file system must not fail the job: try again at the next poll.
            LOG.warn("Listing the model directory {} failed; trying again in {} ms", directory, pollInterval.toMillis(), error);
            return;
        }
        if (listing.isEmpty()) {
            if (!warnedMissing) {
                LOG.warn("Model directory {} does not exist (any more?); waiting for it", directory);
                warnedMissing = true;
            }
            return;
        }
        warnedMissing = false;
        for (String stray : listing.get().strayDirectories()) {
            if (!previousStrayDirectories.contains(stray)) {
                LOG.warn("Ignoring the directory {} in the models directory {}: {}", stray, directory,
                        stray.equals(ModelName.DEFAULT)
                                ? "the default model's files lie in the models directory itself"
                                : ModelName.describeInvalid(stray));
            }
        }
        previousStrayDirectories = listing.get().strayDirectories();
        listing.get().byName().forEach((name, entries) -> {
            if (entries.isEmpty() && !trackers.containsKey(name)) {
                return;
            }
            trackers.computeIfAbsent(name, n -> new CandidateTracker(0)).onListing(entries)
                    .ifPresent(offer -> offer(name, offer));
        });
        assignPending();
    }

    private void offer(String name, Offer offer) {
        ModelCandidatesSplit split = ModelCandidatesSplit.of("models-" + nextSplit++, name, offer.reappeared(), offer.fresh());
        pending.merge(name, split, ModelCandidatesSplit::merge);
    }

    private void assignPending() {
        for (Iterator<Integer> readers = idleReaders.iterator(); readers.hasNext() && !pending.isEmpty(); ) {
            int reader = readers.next();
            readers.remove();
            if (context.registeredReaders().containsKey(reader)) {
                Iterator<ModelCandidatesSplit> next = pending.values().iterator();
                context.assignSplit(next.next(), reader);
                next.remove();
            }
        }
    }

    /** A reader has finished its split (or has none): it gets a pending one, now or when there is one. */
    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        idleReaders.add(subtaskId);
        assignPending();
    }

    /**
     * A reader failed before the next checkpoint: what it was given goes back to pending, to be
     * merged with anything newer of its name and read when it asks again.
     */
    @Override
    public void addSplitsBack(List<ModelCandidatesSplit> splits, int subtaskId) {
        idleReaders.remove(subtaskId);
        for (ModelCandidatesSplit split : splits) {
            ModelCandidatesSplit newer = pending.remove(split.name());
            pending.put(split.name(), newer == null ? split : split.merge(newer));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // It asks for work itself, once it has finished any split restored with it.
    }

    @Override
    public ModelDirectoryState snapshotState(long checkpointId) {
        Map<String, Long> highest = new TreeMap<>();
        trackers.forEach((name, tracker) -> {
            if (tracker.highestHandedOut() > 0) {
                highest.put(name, tracker.highestHandedOut());
            }
        });
        return new ModelDirectoryState(highest, nextSplit, List.copyOf(pending.values()));
    }

    @Override
    public void close() {}
}
