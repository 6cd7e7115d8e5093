package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Scores every input with the live model of its slot (today one, {@link Descriptors#DEFAULT_SLOT}),
 * built from what the loader broadcast. Inputs come in batches ({@link InputBatch}); results go out
 * one by one, stamped with the model's version and age, through a {@link ResultEmitter}.
 *
 * <p>Model updates arrive already validated ({@link io.modelcast.job.modelupdates.LoadModel} says
 * where each check lives). Each subtask applies an update the same way, and only if its version is
 * newer than the one it holds in broadcast state — the one version check here — so replays and
 * reordering are harmless; the new {@link LiveModel} replaces the old one as one reference, from the
 * next input on, and the old one is closed at once (an ONNX session's native memory is released on
 * swap). After a restore the live models are rebuilt from broadcast state before the first input.
 *
 * <p>Inputs that arrive before any model are held ({@link PendingInputs}) and scored when the first
 * model arrives; beyond {@code maxPending} they go to {@link Descriptors#NO_MODEL_YET}. Held inputs
 * restored by a subtask that has a model are scored with its next input. Nothing a model does to an
 * input fails the job: the input is rejected with the reason.
 *
 * <p>Metrics: gauges {@code modelVersion}, {@code modelAgeMs}, {@code recordsPending}; counters
 * {@code modelSwaps}, {@code recordsScored}, {@code recordsRejected}, {@code recordsWithoutModel},
 * {@code recordsStale}; histogram {@code scoringTimeNanos}, per input, over one batch in {@value #TIMING_SAMPLE}.
 */
public final class ScoreWithLiveModels extends BroadcastProcessFunction<InputBatch, ValidatedModel, Result>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithLiveModels.class);

    /** One batch in this many is timed for the histogram: timing every one would cost more than scoring. */
    static final int TIMING_SAMPLE = 128;

    private final int maxPending;
    private final long maxModelBytes;
    private final ModelAgeLimit maxModelAge;
    private final int batchSize;

    /** The models in use, by slot, with what they were built from. */
    private transient Map<String, Installed> live;
    private transient PendingInputs pending;
    private transient ResultEmitter emitter;
    /** What the gauges read, from the metrics thread: one consistent pair, replaced whole. */
    private transient volatile Installed gauged;
    private transient long batches;

    private transient Counter recordsWithoutModel;
    private transient Counter modelSwaps;
    private transient Histogram scoringTimeNanos;

    /** A live model and the update it was built from. */
    private record Installed(ValidatedModel update, LiveModel model) {}

    /**
     * @param maxPending inputs held per subtask while it has no model
     * @param maxModelBytes the size limit of a model file (to convert the broadcast state of older builds)
     * @param maxModelAge results of a model older than this go to the stale output
     * @param batchSize at most this many inputs go into one model call or remote request
     */
    public ScoreWithLiveModels(int maxPending, long maxModelBytes, ModelAgeLimit maxModelAge, int batchSize) {
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must not be negative, was " + maxPending);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.maxPending = maxPending;
        this.maxModelBytes = maxModelBytes;
        this.maxModelAge = maxModelAge;
        this.batchSize = batchSize;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingInputs(maxPending,
                context.getOperatorStateStore().getListState(Descriptors.INPUTS_WAITING_FOR_A_MODEL));
        BroadcastState<String, ValidatedModel> models = context.getOperatorStateStore().getBroadcastState(Descriptors.MODELS);
        LegacyModelState.migrate(context.getOperatorStateStore(), models, maxModelBytes);
        live = new HashMap<>();
        for (Map.Entry<String, ValidatedModel> entry : models.entries()) {
            install(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        emitter = new ResultEmitter(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), maxModelAge,
                metrics.counter("recordsScored"), metrics.counter("recordsStale"), metrics.counter("recordsRejected"));
        recordsWithoutModel = metrics.counter("recordsWithoutModel");
        modelSwaps = metrics.counter("modelSwaps");
        scoringTimeNanos = metrics.histogram("scoringTimeNanos", new DescriptiveStatisticsHistogram(1024));
        metrics.gauge("modelVersion", () -> gauged == null ? 0 : gauged.update().version());
        metrics.gauge("modelAgeMs", () -> gauged == null ? -1 : System.currentTimeMillis() - gauged.update().createdAtMillis());
        metrics.gauge("recordsPending", () -> pending.count());
    }

    @Override
    public void processElement(InputBatch batch, ReadOnlyContext ctx, Collector<Result> out) {
        Installed model = live.get(Descriptors.DEFAULT_SLOT);
        if (model == null) {
            hold(batch, ctx);
            return;
        }
        ResultEmitter.SideOutputs sides = ctx::output;
        if (!pending.isEmpty()) {
            pending.drain(held -> score(model, held, out, sides));
        }
        score(model, batch, out, sides);
    }

    @Override
    public void processBroadcastElement(ValidatedModel update, Context ctx, Collector<Result> out) throws Exception {
        BroadcastState<String, ValidatedModel> state = ctx.getBroadcastState(Descriptors.MODELS);
        ValidatedModel current = state.get(Descriptors.DEFAULT_SLOT);
        if (current != null && update.version() <= current.version()) {
            LOG.debug("Subtask {} ignores model version {}: it holds version {}", subtask(), update.version(), current.version());
            return;
        }
        // Building is deterministic, so every subtask either applies the update or keeps what it
        // has: the broadcast state stays the same everywhere.
        if (install(Descriptors.DEFAULT_SLOT, update)) {
            state.put(Descriptors.DEFAULT_SLOT, update);
            modelSwaps.inc();
            Installed model = live.get(Descriptors.DEFAULT_SLOT);
            ResultEmitter.SideOutputs sides = ctx::output;
            pending.drain(held -> score(model, held, out, sides));
        }
    }

    /** Builds and installs the live model of an update, closing the one it replaces; false (and logged) if it cannot be built. */
    private boolean install(String slot, ValidatedModel update) {
        LiveModel model;
        try {
            model = LiveModels.build(update, batchSize);
        } catch (Exception e) {
            // The loader built this model from the same bytes, so this is unexpected — but a model
            // type's own code failing must not fail the job over and over.
            LOG.error("Subtask {} cannot build model version {} ({}); keeping what it has: {}",
                    subtask(), update.version(), update.source(), e.toString());
            return false;
        }
        Installed previous = live.put(slot, new Installed(update, model));
        if (previous != null) {
            previous.model().close();
        }
        if (Descriptors.DEFAULT_SLOT.equals(slot)) {
            gauged = live.get(slot);
        }
        LOG.info("Subtask {} swapped model version {} -> {} ({})", subtask(),
                previous == null ? "none" : previous.update().version(), update.version(), update.source());
        return true;
    }

    private void score(Installed model, InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        ValidatedModel update = model.update();
        emitter.begin(batch, update.version(), update.createdAtMillis(), out, sides);
        if (++batches % TIMING_SAMPLE != 0 || batch.size() == 0) {
            model.model().score(batch, emitter);
            return;
        }
        long start = System.nanoTime();
        model.model().score(batch, emitter);
        scoringTimeNanos.update((System.nanoTime() - start) / batch.size());
    }

    /** Holds what fits under {@code maxPending}; the rest goes to {@link Descriptors#NO_MODEL_YET}. */
    private void hold(InputBatch batch, ReadOnlyContext ctx) {
        for (int i = pending.hold(batch); i < batch.size(); i++) {
            recordsWithoutModel.inc();
            ctx.output(Descriptors.NO_MODEL_YET, new RejectedRecord(batch.text(i),
                    "no model yet, and " + maxPending + " records are already waiting for one (--max-pending)",
                    batch.origin(i)));
        }
    }

    private int subtask() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pending.snapshot();
    }

    @Override
    public void close() throws Exception {
        if (live != null) {
            live.values().forEach(installed -> installed.model().close());
            live.clear();
        }
        super.close();
    }
}
