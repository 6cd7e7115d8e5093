package io.modelcast.job.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which copies the loader may delete from its model store: of each name, the copies of its last
 * {@code keep} updates stay (the models in use and those a recent checkpoint may still name); an
 * older copy goes once no name keeps it. Only copies this loader stored are ever named, so a store
 * shared with other jobs loses nothing of theirs. Not checkpointed: after a restart, copies stored
 * before it stay until removed by hand. Used by the loader's thread only.
 */
public final class StoreRetention {

    private final int keep;
    private final Map<String, Deque<List<ModelBytes.Stored>>> byName = new HashMap<>();

    /** @param keep how many updates' copies of each name stay */
    public StoreRetention(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.keep = keep;
    }

    /** Records the copies of one update of {@code name} (its model, its fallback); returns the copies that may now be deleted. */
    public List<ModelBytes.Stored> stored(String name, List<ModelBytes.Stored> copies) {
        Deque<List<ModelBytes.Stored>> updates = byName.computeIfAbsent(name, n -> new ArrayDeque<>());
        updates.addLast(List.copyOf(copies));
        List<ModelBytes.Stored> dropped = new ArrayList<>();
        while (updates.size() > keep) {
            dropped.addAll(updates.removeFirst());
        }
        dropped.removeIf(this::isKept);
        return dropped.stream().distinct().toList();
    }

    private boolean isKept(ModelBytes.Stored copy) {
        return byName.values().stream().flatMap(Deque::stream).flatMap(List::stream)
                .anyMatch(kept -> kept.sha256().equals(copy.sha256()));
    }
}
