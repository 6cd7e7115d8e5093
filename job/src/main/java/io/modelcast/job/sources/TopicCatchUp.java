package io.modelcast.job.sources;

import io.modelcast.job.records.ModelFileBytes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the model topic's reader keeps while it reads the topic up to where it ended at start-up:
 * the newest {@link #KEPT_PER_NAME} records of each model name, in the order they were written, so
 * that only the newest valid version of each name is validated and broadcast however long the
 * history — not every version one after the other. Records that name no model (no key, a key that
 * is not a model name, a tombstone) are only counted: they belong to the history, not to what the
 * job starts with. Not thread-safe: the split reader's fetcher thread owns it.
 *
 * <p>Limit: memory is {@link #KEPT_PER_NAME} records of each name, for the catch-up only; a name
 * whose newest {@value #KEPT_PER_NAME} records are all invalid starts without a model (each is
 * reported) until a valid version is published.
 */
final class TopicCatchUp {

    /** How many of each name's newest records are kept to choose from. */
    static final int KEPT_PER_NAME = 4;

    private final Map<String, Deque<ModelFileBytes>> newestByName = new TreeMap<>();
    private long superseded;
    private long notModels;
    private String firstNotModel;

    /** A record read during the catch-up: a version of {@code file.name}, or, if it has a read error, not a model. */
    void add(ModelFileBytes file, boolean namesAModel) {
        if (!namesAModel) {
            notModels++;
            if (firstNotModel == null) {
                firstNotModel = file.path + " (" + file.readError + ")";
            }
            return;
        }
        Deque<ModelFileBytes> kept = newestByName.computeIfAbsent(file.name, name -> new ArrayDeque<>());
        kept.addLast(file);
        if (kept.size() > KEPT_PER_NAME) {
            kept.pollFirst();
            superseded++;
        }
    }

    /** Per model name, its kept records newest first: the reader validates them in this order until one is valid. */
    List<List<ModelFileBytes>> candidatesNewestFirst() {
        List<List<ModelFileBytes>> candidates = new ArrayList<>();
        for (Deque<ModelFileBytes> kept : newestByName.values()) {
            List<ModelFileBytes> newestFirst = new ArrayList<>();
            for (Iterator<ModelFileBytes> it = kept.descendingIterator(); it.hasNext(); ) {
                newestFirst.add(it.next());
            }
            candidates.add(newestFirst);
        }
        return candidates;
    }

    /** Records dropped because at least {@link #KEPT_PER_NAME} newer records of their name came after them. */
    long superseded() {
        return superseded;
    }

    /** Records that name no model. */
    long notModels() {
        return notModels;
    }

    /** The first record that named no model, and why; null if none. */
    String firstNotModel() {
        return firstNotModel;
    }
}
