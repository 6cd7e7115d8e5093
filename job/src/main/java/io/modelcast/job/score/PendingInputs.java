package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;

import org.apache.flink.api.common.state.ListState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Inputs a scoring subtask holds, in order, while it has no model: at most {@code maxPending}, in
 * checkpointed operator state, scored once a model arrives.
 */
public final class PendingInputs {

    private final int maxPending;
    private final ListState<InputBatch> state;
    private final ArrayDeque<InputBatch> batches = new ArrayDeque<>();
    /** How many inputs {@link #batches} holds; volatile for the gauge, read from the metrics thread. */
    private volatile int count;

    /** The inputs held in {@code state} (restored from a checkpoint, or none). */
    public PendingInputs(int maxPending, ListState<InputBatch> state) throws Exception {
        this.maxPending = maxPending;
        this.state = state;
        int restored = 0;
        for (InputBatch batch : state.get()) {
            batches.add(batch);
            restored += batch.size();
        }
        count = restored;
    }

    /** Holds what fits of {@code batch}; returns how many of its inputs, from the first, it held. */
    public int hold(InputBatch batch) {
        int held = Math.max(0, Math.min(maxPending - count, batch.size()));
        if (held > 0) {
            batches.add(held == batch.size() ? batch : batch.slice(0, held));
            count += held;
        }
        return held;
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    public int count() {
        return count;
    }

    /** Hands every held batch, in order, to {@code scorer} and holds none afterwards. */
    public void drain(Consumer<InputBatch> scorer) {
        for (InputBatch batch; (batch = batches.poll()) != null; ) {
            scorer.accept(batch);
        }
        count = 0;
    }

    public void snapshot() throws Exception {
        state.update(new ArrayList<>(batches));
    }
}
