package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.ScoredRecord;
import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Scores every record with the newest model this subtask has received through broadcast state.
 *
 * <p>Model updates are applied the same way on every subtask and only if their version is newer
 * than the one held, so replays and reordering are harmless; the model applies from the next
 * record on. The live {@link Model} is built from the broadcast file bytes on each subtask (and
 * again after a restore); broadcast state holds only data.
 *
 * <p>Records that arrive before any model are held, in order, in checkpointed operator state and
 * scored when the first model arrives; beyond {@code maxPending} held records they go to {@link
 * Descriptors#NO_MODEL_YET}. Held records restored from a checkpoint by a subtask that already has
 * a model are scored when its next record arrives (a non-keyed function has no timers). A model that throws on a record sends that record to {@link
 * Descriptors#BAD_RECORDS}; the job never fails on data.
 */
public final class ScoreWithLatestModel
        extends BroadcastProcessFunction<InputRecord, ModelUpdate, ScoredRecord>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithLatestModel.class);

    private final int maxPending;
    private final long maxModelBytes;

    private transient ModelFileCodec codec;
    private transient int subtask;
    /** The model in use, or null before the first one; {@link #modelVersion} is 0 then. */
    private transient Model model;
    /** Volatile for the metric gauge, which reads it from another thread. */
    private transient volatile long modelVersion;
    /** After a restore the model is in broadcast state but not yet built: look once. */
    private transient boolean restoredModelChecked;
    private transient ArrayDeque<InputRecord> pending;
    private transient ListState<InputRecord> pendingState;

    private transient Counter recordsScored;
    private transient Counter recordsWithoutModel;
    private transient Counter recordsRejected;
    private transient Counter modelSwaps;

    public ScoreWithLatestModel(int maxPending, long maxModelBytes) {
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must not be negative, was " + maxPending);
        }
        this.maxPending = maxPending;
        this.maxModelBytes = maxModelBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ModelFileCodec(maxModelBytes);
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        recordsScored = metrics.counter("recordsScored");
        recordsWithoutModel = metrics.counter("recordsWithoutModel");
        recordsRejected = metrics.counter("recordsRejected");
        modelSwaps = metrics.counter("modelSwaps");
        metrics.gauge("modelVersion", () -> modelVersion);
        metrics.gauge("recordsPending", () -> pending.size());
    }

    @Override
    public void processElement(InputRecord record, ReadOnlyContext ctx, Collector<ScoredRecord> out)
            throws Exception {
        if (model == null && !restoredModelChecked) {
            restoredModelChecked = true;
            ModelUpdate restored = ctx.getBroadcastState(Descriptors.CURRENT_MODEL).get(Descriptors.CURRENT_MODEL_KEY);
            if (restored != null) {
                apply(restored);
            }
        }
        if (model == null) {
            hold(record, ctx);
            return;
        }
        if (!pending.isEmpty()) {
            scorePending(out, failed -> ctx.output(Descriptors.BAD_RECORDS, failed));
        }
        RejectedRecord failed = score(record, out);
        if (failed != null) {
            ctx.output(Descriptors.BAD_RECORDS, failed);
        }
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<ScoredRecord> out)
            throws Exception {
        BroadcastState<String, ModelUpdate> state = ctx.getBroadcastState(Descriptors.CURRENT_MODEL);
        ModelUpdate current = state.get(Descriptors.CURRENT_MODEL_KEY);
        if (current != null && update.version <= current.version) {
            LOG.debug("Subtask {} ignores model version {}: it holds version {}", subtask, update.version, current.version);
            return;
        }
        // Decoding is deterministic, so every subtask either applies the update or keeps the
        // state as it is: the broadcast state stays the same everywhere.
        if (apply(update)) {
            state.put(Descriptors.CURRENT_MODEL_KEY, update);
            restoredModelChecked = true;
            scorePending(out, failed -> ctx.output(Descriptors.BAD_RECORDS, failed));
        }
    }

    /** Builds and installs the model of an update; false (and logged) if it cannot be built. */
    private boolean apply(ModelUpdate update) {
        Model next;
        try {
            next = codec.decode(update.source, update.fileBytes).model();
        } catch (ModelFileException e) {
            LOG.error("Subtask {} cannot apply model version {}; keeping version {}: {}",
                    subtask, update.version, modelVersion, e.getMessage());
            return false;
        }
        long previous = modelVersion;
        model = next;
        modelVersion = update.version;
        modelSwaps.inc();
        LOG.info("Subtask {} swapped model version {} -> {} ({})",
                subtask, previous == 0 ? "none" : previous, update.version, update.source);
        return true;
    }

    private void hold(InputRecord record, ReadOnlyContext ctx) {
        if (pending.size() < maxPending) {
            pending.add(record);
        } else {
            recordsWithoutModel.inc();
            ctx.output(Descriptors.NO_MODEL_YET, new RejectedRecord(record.text,
                    "no model yet, and " + maxPending + " records are already waiting for one (--max-pending)",
                    record.origin));
        }
    }

    private void scorePending(Collector<ScoredRecord> out, Consumer<RejectedRecord> failures) {
        for (InputRecord record; (record = pending.poll()) != null; ) {
            RejectedRecord failed = score(record, out);
            if (failed != null) {
                failures.accept(failed);
            }
        }
    }

    /** Scores one record; returns null, or the record for the bad-records output if the model threw. */
    private RejectedRecord score(InputRecord record, Collector<ScoredRecord> out) {
        String output;
        try {
            output = model.transform(record.value);
        } catch (RuntimeException e) {
            recordsRejected.inc();
            return new RejectedRecord(record.text, "model version " + modelVersion + " failed on this input: " + e, record.origin);
        }
        recordsScored.inc();
        out.collect(new ScoredRecord(record.text, output, modelVersion, subtask, record.origin));
        return null;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(new ArrayList<>(pending));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState = context.getOperatorStateStore().getListState(Descriptors.RECORDS_WAITING_FOR_A_MODEL);
        pending = new ArrayDeque<>();
        for (InputRecord record : pendingState.get()) {
            pending.add(record);
        }
    }
}
