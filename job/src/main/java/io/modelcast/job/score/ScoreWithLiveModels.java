package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ModelRecovery;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.ModelName;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Scores every input with the model of its name — the name it carries (JSON {@code model}, Kafka
 * header {@code modelcast-model}) or the job's {@code --model-name} — built from what the loader
 * broadcast. Inputs come in batches ({@link InputBatch}); results are stamped with the model's name,
 * role, version and age by a {@link ResultEmitter}.
 *
 * <p>Model updates arrive already validated ({@link io.modelcast.job.modelupdates.LoadModel} says
 * where each check lives, and decides which challengers may run). Each subtask applies an update
 * the same way, and only if its version is newer than every version it holds of that name — the
 * one version check here — so replays and reordering are harmless. A champion replaces the name's
 * champion and ends any rollout; a challenger joins the champion ({@link ServedModel}). The new
 * {@link LiveModel} takes over as one reference, from the next input on, and the old one is closed
 * at once (an ONNX session's native memory is released on swap). A replacement whose binary form is
 * {@value #BUILD_OFF_THREAD_BYTES} bytes or more is built off the task thread ({@link ModelBuilds}):
 * the model in use keeps scoring until it is ready, so loading a large model never stalls the stream. After a restore the live models are
 * rebuilt from broadcast state before the first input; one that cannot be (its copy in the model
 * store is gone) is replaced by the newest valid file of its name ({@link ModelRecovery}), with a WARN.
 *
 * <p>While a challenger runs, {@link RolloutScorer} scores its name (shadow or canary). Every report
 * interval each rollout's {@link RolloutFigures} go to {@link Descriptors#ROLLOUT_FIGURES}, and at
 * the end of each drift window the drift counts of every model with a training profile go to
 * {@link Descriptors#DRIFT_COUNTS} ({@link PeriodicReports}).
 *
 * <p>Inputs that arrive before any model are held ({@link PendingInputs}) and scored when the first
 * model arrives; beyond {@code maxPending} they go to {@link Descriptors#NO_MODEL_YET}. Once a subtask
 * has a model, an input naming a model it does not hold is rejected ({@value #UNKNOWN_MODEL}), never
 * held. Nothing a model does to an input fails the job: the input is rejected with the reason.
 *
 * <p>The results of each call (an input batch, or the held inputs a model releases) leave in lists
 * of up to {@value ResultsOfOneCall#CHUNK} ({@link ResultsOfOneCall}); {@link UnbatchResults},
 * chained behind, emits them one by one.
 *
 * <p>Metrics: gauges {@code modelVersion}, {@code modelAgeMs} (of the default name's champion),
 * {@code modelNames}, {@code recordsPending}; counters {@code modelSwaps}, {@code recordsScored},
 * {@code recordsRejected}, {@code recordsWithoutModel}, {@code recordsStale},
 * {@code recordsForUnknownModels}, {@code challengersSuspended}; histogram {@code scoringTimeNanos},
 * per input, over one batch in {@value ServeByName#TIMING_SAMPLE}; per name with a rollout, gauges in group
 * {@code model.<name>} ({@link RolloutGauges}).
 */
public final class ScoreWithLiveModels extends BroadcastProcessFunction<InputBatch, ValidatedModel, List<Result>>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithLiveModels.class);

    /** Reason code of an input naming a model the job does not hold. */
    public static final String UNKNOWN_MODEL = "UNKNOWN_MODEL";

    private final int maxPending;
    private final long maxModelBytes;
    private final ModelAgeLimit maxModelAge;
    private final int batchSize;
    private final String defaultName;
    private final long reportIntervalMillis;
    private final long driftWindowMillis;
    private ModelRecovery recovery;
    /** Whether results show the features the model saw ({@code --emit-features}). */
    private boolean emitFeatures;

    /**
     * A model whose binary form is at least this large is built off the task thread ({@link ModelBuilds})
     * when it replaces one; smaller ones build in well under a millisecond, so they take over at once.
     */
    static final int BUILD_OFF_THREAD_BYTES = 64 * 1024;

    /** The models in use, by name. */
    private transient LiveModelTable live;
    /** Replacements being built off the task thread; the models they replace score meanwhile. */
    private transient ModelBuilds builds;
    /** The broadcast state, kept equal to what the subtask holds. */
    private transient ModelsInState models;
    private transient PendingInputs pending;
    private transient ResultEmitter emitter;
    private transient ResultsOfOneCall results;
    private transient ServeByName router;
    private transient PeriodicReports reports;

    private transient Counter recordsWithoutModel;
    private transient Counter modelSwaps;

    /**
     * @param maxPending inputs held per subtask while it has no model
     * @param maxModelBytes the size limit of a model file (to convert the broadcast state of older builds)
     * @param maxModelAge results of a model older than this go to the stale output
     * @param batchSize at most this many inputs go into one model call or remote request
     * @param defaultName the model of inputs that name none
     * @param reportInterval how often each subtask sends its rollout figures
     * @param driftWindow the length of a drift window, for models whose files have training profiles
     */
    public ScoreWithLiveModels(int maxPending, long maxModelBytes, ModelAgeLimit maxModelAge, int batchSize,
            String defaultName, Duration reportInterval, Duration driftWindow) {
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
        this.defaultName = ModelName.require(defaultName);
        this.reportIntervalMillis = reportInterval.toMillis();
        this.driftWindowMillis = driftWindow.toMillis();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingInputs(maxPending,
                context.getOperatorStateStore().getListState(Descriptors.INPUTS_WAITING_FOR_A_MODEL));
        BroadcastState<String, ValidatedModel> state = context.getOperatorStateStore().getBroadcastState(Descriptors.MODELS);
        LegacyModelState.migrate(context.getOperatorStateStore(), state, maxModelBytes);
        live = new LiveModelTable(subtask(), batchSize, driftWindowMillis);
        builds = new ModelBuilds(live::build);
        models = new ModelsInState(state);
        models.restoreInto(live, recovery, subtask());
    }

    /** Results show the features the model saw, for models that compute them from raw events ({@code --emit-features}). */
    public ScoreWithLiveModels emittingFeatures(boolean show) {
        this.emitFeatures = show;
        return this;
    }

    /**
     * Where to fall back to when a restored model cannot be rebuilt: the newest valid file of its
     * name in the models directory. Without it, such a name has no model until one is published.
     */
    public ScoreWithLiveModels recoveringFrom(ModelRecovery modelRecovery) {
        this.recovery = modelRecovery;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        live.onChallenger(new RolloutGauges(metrics, live)::register);
        results = new ResultsOfOneCall();
        emitter = new ResultEmitter(subtask(), maxModelAge,
                metrics.counter("recordsScored"), metrics.counter("recordsStale"), metrics.counter("recordsRejected"))
                .showingFeatures(emitFeatures);
        recordsWithoutModel = metrics.counter("recordsWithoutModel");
        modelSwaps = metrics.counter("modelSwaps");
        router = new ServeByName(live, defaultName, emitter,
                new RolloutScorer(emitter, subtask(), metrics.counter("challengersSuspended")),
                metrics.counter("recordsForUnknownModels"),
                metrics.histogram("scoringTimeNanos", new DescriptiveStatisticsHistogram(1024)));
        metrics.gauge("modelVersion", () -> live.champion(defaultName).map(ServedModel.Installed::version).orElse(0L));
        metrics.gauge("modelAgeMs", () -> live.champion(defaultName)
                .map(c -> System.currentTimeMillis() - c.update().createdAtMillis()).orElse(-1L));
        metrics.gauge("modelNames", () -> live.size());
        metrics.gauge("recordsPending", () -> pending.count());
        reports = new PeriodicReports(reportIntervalMillis, driftWindowMillis, System.currentTimeMillis());
    }

    @Override
    public void processElement(InputBatch batch, ReadOnlyContext ctx, Collector<List<Result>> out) {
        if (!builds.isEmpty()) {
            installBuilt();
        }
        if (live.isEmpty()) {
            hold(batch, ctx);
            return;
        }
        ResultEmitter.SideOutputs sides = ctx::output;
        // First what is due: a batch after a drift window ended belongs to the next one.
        reports.sendIfDue(live, sides);
        ResultsOfOneCall call = results.to(out);
        if (!pending.isEmpty()) {
            pending.drain(held -> router.route(held, call, sides));
        }
        router.route(batch, call, sides);
        call.flush();
    }

    @Override
    public void processBroadcastElement(ValidatedModel update, Context ctx, Collector<List<Result>> out) throws Exception {
        installBuilt();
        ServedModel served = live.get(update.name());
        OptionalLong building = builds.highestVersion(update.name());
        long highest = Math.max(served == null ? 0 : served.highestVersion(), building.orElse(0L));
        if ((served != null || building.isPresent()) && update.version() <= highest) {
            LOG.debug("Subtask {} ignores version {} of model {}: it holds version {}", subtask(), update.version(),
                    update.name(), highest);
            return;
        }
        if (served != null && update.bytes().length() >= BUILD_OFF_THREAD_BYTES || building.isPresent()) {
            // The model in use scores until the new one is built; updates of a name are applied in order.
            models.remember(update);
            builds.submit(update);
            return;
        }
        // Building is deterministic, so every subtask either applies the update or keeps what it
        // has: the broadcast state stays the same everywhere.
        if (!live.install(update)) {
            return;
        }
        models.remember(update);
        modelSwaps.inc();
        ResultEmitter.SideOutputs sides = ctx::output;
        ResultsOfOneCall call = results.to(out);
        pending.drain(held -> router.route(held, call, sides));
        call.flush();
    }

    /**
     * Switches to the replacements built since the last input, in the order they came. One that
     * could not be built leaves the name as it is, and broadcast state is set back to what it holds.
     */
    private void installBuilt() {
        if (builds.isEmpty()) {
            return;
        }
        for (ModelBuilds.Ready ready : builds.takeReady()) {
            String name = ready.update().name();
            if (!ready.failed() && live.install(ready.update(), ready.model())) {
                modelSwaps.inc();
                continue;
            }
            if (ready.failed()) {
                live.logBuildFailure(ready.update(), ready.failure());
            }
            if (builds.highestVersion(name).isEmpty()) {
                models.resetTo(name, live.get(name));
            }
        }
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
        if (builds != null) {
            builds.close();
        }
        if (live != null) {
            live.close();
        }
        super.close();
    }
}
