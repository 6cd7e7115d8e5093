package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.ModelName;
import io.modelcast.model.rollout.Rollout;

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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Scores every input with the model of its name — the name it carries (JSON {@code model}, Kafka
 * header {@code modelcast-model}) or the job's {@code --model-name} — built from what the loader
 * broadcast. Inputs come in batches ({@link InputBatch}); results go out one by one, stamped with
 * the model's name, role, version and age, through a {@link ResultEmitter}.
 *
 * <p>Model updates arrive already validated ({@link io.modelcast.job.modelupdates.LoadModel} says
 * where each check lives, and decides which challengers may run). Each subtask applies an update
 * the same way, and only if its version is newer than every version it holds of that name — the
 * one version check here — so replays and reordering are harmless. A champion replaces the name's
 * champion and ends any rollout; a challenger joins the champion ({@link ServedModel}). The new
 * {@link LiveModel} takes over as one reference, from the next input on, and the old one is closed
 * at once (an ONNX session's native memory is released on swap). After a restore the live models are
 * rebuilt from broadcast state before the first input.
 *
 * <p>While a challenger runs: in {@linkplain Rollout.Mode#SHADOW shadow} it scores every input of
 * its name too, and each input's two outcomes go to {@link Descriptors#SHADOW} (the main output keeps
 * the champion's); as a {@linkplain Rollout.Mode#CANARY canary} it scores the inputs {@link
 * CanarySplit} gives it, in the champion's place (role {@code canary}; an input it fails on is scored
 * by the champion instead, so nothing is lost). Both sides are counted ({@link RolloutFigures}), sent
 * to {@link Descriptors#ROLLOUT_FIGURES} every report interval, and a challenger that fails on more
 * than {@value #SUSPEND_ERROR_RATE} of at least {@value #SUSPEND_MIN_RECORDS} records is suspended
 * at once on this subtask (the champion alone scores until the fitter retires it).
 *
 * <p>Inputs that arrive before any model are held ({@link PendingInputs}) and scored when the first
 * model arrives; beyond {@code maxPending} they go to {@link Descriptors#NO_MODEL_YET}. Once a subtask
 * has a model, an input naming a model it does not hold is rejected ({@value #UNKNOWN_MODEL}), never
 * held. Nothing a model does to an input fails the job: the input is rejected with the reason.
 *
 * <p>Metrics: gauges {@code modelVersion}, {@code modelAgeMs} (of the default name's champion),
 * {@code modelNames}, {@code recordsPending}; counters {@code modelSwaps}, {@code recordsScored},
 * {@code recordsRejected}, {@code recordsWithoutModel}, {@code recordsStale},
 * {@code recordsForUnknownModels}, {@code challengersSuspended}; histogram {@code scoringTimeNanos},
 * per input, over one batch in {@value #TIMING_SAMPLE}; per name with a rollout, gauges in group
 * {@code model.<name>} ({@link #registerRolloutGauges}).
 */
public final class ScoreWithLiveModels extends BroadcastProcessFunction<InputBatch, ValidatedModel, Result>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithLiveModels.class);

    /** One batch in this many is timed for the histogram: timing every one would cost more than scoring. */
    static final int TIMING_SAMPLE = 128;

    /** Reason code of an input naming a model the job does not hold. */
    public static final String UNKNOWN_MODEL = "UNKNOWN_MODEL";

    /** A challenger failing on more than this share of its records … */
    static final double SUSPEND_ERROR_RATE = 0.5;
    /** … once it has scored at least this many, is suspended on its subtask. */
    static final long SUSPEND_MIN_RECORDS = 100;

    /** The broadcast-state key of a name's challenger: its name and this (not a name character). */
    static final String CHALLENGER_KEY_SUFFIX = "@challenger";

    private final int maxPending;
    private final long maxModelBytes;
    private final ModelAgeLimit maxModelAge;
    private final int batchSize;
    private final String defaultName;
    private final long reportIntervalMillis;

    /** The models in use, by name; concurrent because the metrics thread reads the gauges' figures. */
    private transient Map<String, ServedModel> live;
    private transient PendingInputs pending;
    private transient ResultEmitter emitter;
    private transient CapturedOutcomes championOutcomes;
    private transient CapturedOutcomes challengerOutcomes;
    /** What the gauges read, from the metrics thread: the default name's champion, replaced whole. */
    private transient volatile ServedModel.Installed gauged;
    private transient long batches;
    private transient long lastReportMillis;

    private transient Counter recordsWithoutModel;
    private transient Counter recordsForUnknownModels;
    private transient Counter modelSwaps;
    private transient Counter challengersSuspended;
    private transient Histogram scoringTimeNanos;
    private transient MetricGroup metricGroup;
    /** Names whose rollout gauges are registered (once per name: Flink cannot unregister a metric). */
    private transient Set<String> rolloutGauges;

    /**
     * A scorer for the default model, reporting rollouts every 10 s.
     *
     * @see #ScoreWithLiveModels(int, long, ModelAgeLimit, int, String, Duration)
     */
    public ScoreWithLiveModels(int maxPending, long maxModelBytes, ModelAgeLimit maxModelAge, int batchSize) {
        this(maxPending, maxModelBytes, maxModelAge, batchSize, ModelName.DEFAULT, Duration.ofSeconds(10));
    }

    /**
     * @param maxPending inputs held per subtask while it has no model
     * @param maxModelBytes the size limit of a model file (to convert the broadcast state of older builds)
     * @param maxModelAge results of a model older than this go to the stale output
     * @param batchSize at most this many inputs go into one model call or remote request
     * @param defaultName the model of inputs that name none
     * @param reportInterval how often each subtask sends its rollout figures
     */
    public ScoreWithLiveModels(int maxPending, long maxModelBytes, ModelAgeLimit maxModelAge, int batchSize,
            String defaultName, Duration reportInterval) {
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
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingInputs(maxPending,
                context.getOperatorStateStore().getListState(Descriptors.INPUTS_WAITING_FOR_A_MODEL));
        BroadcastState<String, ValidatedModel> models = context.getOperatorStateStore().getBroadcastState(Descriptors.MODELS);
        LegacyModelState.migrate(context.getOperatorStateStore(), models, maxModelBytes);
        live = new ConcurrentHashMap<>();
        championOutcomes = new CapturedOutcomes();
        challengerOutcomes = new CapturedOutcomes();
        List<ValidatedModel> challengers = new ArrayList<>();
        for (Map.Entry<String, ValidatedModel> entry : models.entries()) {
            if (entry.getValue().isChallenger()) {
                challengers.add(entry.getValue());
            } else {
                install(entry.getValue());
            }
        }
        // Champions first: a challenger joins its champion.
        for (ValidatedModel challenger : challengers) {
            install(challenger);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        metricGroup = metrics;
        rolloutGauges = new HashSet<>();
        live.forEach((name, served) -> served.challenger().ifPresent(c -> registerRolloutGauges(name)));
        emitter = new ResultEmitter(subtask(), maxModelAge,
                metrics.counter("recordsScored"), metrics.counter("recordsStale"), metrics.counter("recordsRejected"));
        recordsWithoutModel = metrics.counter("recordsWithoutModel");
        recordsForUnknownModels = metrics.counter("recordsForUnknownModels");
        modelSwaps = metrics.counter("modelSwaps");
        challengersSuspended = metrics.counter("challengersSuspended");
        scoringTimeNanos = metrics.histogram("scoringTimeNanos", new DescriptiveStatisticsHistogram(1024));
        metrics.gauge("modelVersion", () -> gauged == null ? 0 : gauged.version());
        metrics.gauge("modelAgeMs", () -> gauged == null ? -1 : System.currentTimeMillis() - gauged.update().createdAtMillis());
        metrics.gauge("modelNames", () -> live.size());
        metrics.gauge("recordsPending", () -> pending.count());
        lastReportMillis = System.currentTimeMillis();
    }

    @Override
    public void processElement(InputBatch batch, ReadOnlyContext ctx, Collector<Result> out) {
        if (live.isEmpty()) {
            hold(batch, ctx);
            return;
        }
        ResultEmitter.SideOutputs sides = ctx::output;
        if (!pending.isEmpty()) {
            pending.drain(held -> route(held, out, sides));
        }
        route(batch, out, sides);
        reportIfDue(sides);
    }

    @Override
    public void processBroadcastElement(ValidatedModel update, Context ctx, Collector<Result> out) throws Exception {
        ServedModel served = live.get(update.name());
        if (served != null && update.version() <= served.highestVersion()) {
            LOG.debug("Subtask {} ignores version {} of model {}: it holds version {}", subtask(), update.version(),
                    update.name(), served.highestVersion());
            return;
        }
        // Building is deterministic, so every subtask either applies the update or keeps what it
        // has: the broadcast state stays the same everywhere.
        if (!install(update)) {
            return;
        }
        BroadcastState<String, ValidatedModel> state = ctx.getBroadcastState(Descriptors.MODELS);
        if (update.isChallenger()) {
            state.put(update.name() + CHALLENGER_KEY_SUFFIX, update);
        } else {
            state.put(update.name(), update);
            state.remove(update.name() + CHALLENGER_KEY_SUFFIX);
        }
        modelSwaps.inc();
        ResultEmitter.SideOutputs sides = ctx::output;
        pending.drain(held -> route(held, out, sides));
    }

    /** Builds and installs the live model of an update, closing what it replaces; false (and logged) if it cannot be. */
    private boolean install(ValidatedModel update) {
        ServedModel served = live.get(update.name());
        if (update.isChallenger() && (served == null || served.champion().model() instanceof RemoteLiveModel)) {
            // The loader lets a challenger through only beside a local champion; a savepoint of an
            // older build may still hold a remote one.
            LOG.warn("Subtask {} ignores challenger version {} of model {}: {}", subtask(), update.version(), update.name(),
                    served == null ? "the name has no champion" : "its champion is a remote model");
            return false;
        }
        LiveModel model;
        try {
            model = LiveModels.build(update, batchSize);
        } catch (Exception e) {
            // The loader built this model from the same bytes, so this is unexpected — but a model
            // type's own code failing must not fail the job over and over.
            LOG.error("Subtask {} cannot build version {} of model {} ({}); keeping what it has: {}",
                    subtask(), update.version(), update.name(), update.source(), e.toString());
            return false;
        }
        ServedModel.Installed installed = new ServedModel.Installed(update, model);
        if (served == null) {
            live.put(update.name(), new ServedModel(installed));
            LOG.info("Subtask {} loaded model {} version {} ({})", subtask(), update.name(), update.version(), update.source());
        } else if (update.isChallenger()) {
            ServedModel.Installed previous = served.startChallenger(installed, subtask());
            if (previous != null) {
                previous.model().close();
            }
            if (metricGroup != null) {
                registerRolloutGauges(update.name());
            }
            LOG.info("Subtask {} runs version {} of model {} as a {} challenger of version {} ({})", subtask(),
                    update.version(), update.name(), update.rollout().get().describe(), served.champion().version(),
                    update.source());
        } else {
            long before = served.champion().version();
            for (ServedModel.Installed retired : served.replaceChampion(installed)) {
                if (retired != null) {
                    retired.model().close();
                }
            }
            LOG.info("Subtask {} swapped model {} version {} -> {} ({})", subtask(), update.name(), before,
                    update.version(), update.source());
        }
        if (update.name().equals(defaultName)) {
            gauged = live.get(defaultName).champion();
        }
        return true;
    }

    /**
     * Gauges of a name's rollout, in group {@code model.<name>}: the challenger's version (0: none),
     * records and failures of both sides, records both scored alike (shadow), and whether it is
     * suspended (1) — what the rollout report adds up, per subtask.
     */
    private void registerRolloutGauges(String name) {
        if (!rolloutGauges.add(name)) {
            return;
        }
        MetricGroup group = metricGroup.addGroup("model", name);
        group.gauge("challengerVersion", () -> figure(name, f -> f.challengerVersion));
        group.gauge("championRecords", () -> figure(name, f -> f.championRecords));
        group.gauge("championErrors", () -> figure(name, f -> f.championErrors));
        group.gauge("challengerRecords", () -> figure(name, f -> f.challengerRecords));
        group.gauge("challengerErrors", () -> figure(name, f -> f.challengerErrors));
        group.gauge("agreedRecords", () -> figure(name, f -> f.agreed));
        group.gauge("challengerSuspended", () -> figure(name, f -> f.suspended ? 1 : 0));
    }

    /** One figure of a name's running rollout, read from the metrics thread; 0 when none runs. */
    private long figure(String name, ToLongFunction<RolloutFigures> figure) {
        ServedModel served = live.get(name);
        RolloutFigures figures = served == null ? null : served.figures();
        return figures == null ? 0 : figure.applyAsLong(figures);
    }

    /** Scores each input with the model of its name: all at once when they name none, else name by name. */
    private void route(InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        if (!batch.namesModels()) {
            serve(defaultName, batch, out, sides);
            return;
        }
        Map<String, int[]> byName = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String name = batch.model(i) == null ? defaultName : batch.model(i);
            int count = counts.getOrDefault(name, 0);
            int[] indices = byName.computeIfAbsent(name, n -> new int[batch.size()]);
            indices[count] = i;
            counts.put(name, count + 1);
        }
        if (byName.size() == 1) {
            serve(byName.keySet().iterator().next(), batch, out, sides);
            return;
        }
        byName.forEach((name, indices) -> serve(name, batch.select(indices, counts.get(name)), out, sides));
    }

    private void serve(String name, InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        ServedModel served = live.get(name);
        if (served == null) {
            for (int i = 0; i < batch.size(); i++) {
                recordsForUnknownModels.inc();
                sides.output(Descriptors.BAD_RECORDS, new RejectedRecord(batch.text(i), UNKNOWN_MODEL + ": no model named "
                        + name + " is loaded (publish one into the models directory's " + name + "/, or name another)",
                        batch.origin(i)));
            }
            return;
        }
        Optional<Rollout> rollout = served.activeRollout();
        if (rollout.isEmpty()) {
            Result.Role role = served.challenger().isPresent() ? Result.Role.CHAMPION : Result.Role.ONLY;
            score(served.champion(), name, role, batch, out, sides);
        } else if (rollout.get().mode() == Rollout.Mode.SHADOW) {
            shadow(name, served, batch, out, sides);
        } else {
            canary(name, served, rollout.get().percent(), batch, out, sides);
        }
    }

    private void score(ServedModel.Installed model, String name, Result.Role role, InputBatch batch, Collector<Result> out,
            ResultEmitter.SideOutputs sides) {
        ValidatedModel update = model.update();
        emitter.begin(batch, name, role, update.version(), update.createdAtMillis(), out, sides);
        if (++batches % TIMING_SAMPLE != 0 || batch.size() == 0) {
            model.model().score(batch, emitter);
            return;
        }
        long start = System.nanoTime();
        model.model().score(batch, emitter);
        scoringTimeNanos.update((System.nanoTime() - start) / batch.size());
    }

    /** Both score every input; the champion's outcomes go on, both go to the shadow output. */
    private void shadow(String name, ServedModel served, InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        ServedModel.Installed champion = served.champion();
        ServedModel.Installed challenger = served.challenger().get();
        RolloutFigures figures = served.figures();
        champion.model().score(batch, championOutcomes.reset(batch.size()));
        long start = System.nanoTime();
        challenger.model().score(batch, challengerOutcomes.reset(batch.size()));
        figures.challengerTime((System.nanoTime() - start) / Math.max(1, batch.size()));
        emitter.begin(batch, name, Result.Role.CHAMPION, champion.version(), champion.update().createdAtMillis(), out, sides);
        for (int i = 0; i < batch.size(); i++) {
            championOutcomes.replay(i, emitter, i);
            count(figures, true, championOutcomes, i);
            count(figures, false, challengerOutcomes, i);
            figures.compared(championOutcomes.agrees(challengerOutcomes, i));
            sides.output(Descriptors.SHADOW, ShadowLine.of(name, batch, i, champion.version(), championOutcomes,
                    challenger.version(), challengerOutcomes, subtask()));
        }
        suspendIfFailing(name, served);
    }

    /** The canary scores its share of the inputs in the champion's place; the champion the rest, and any the canary fails on. */
    private void canary(String name, ServedModel served, double percent, InputBatch batch, Collector<Result> out,
            ResultEmitter.SideOutputs sides) {
        int[] toCanary = new int[batch.size()];
        int[] toChampion = new int[batch.size()];
        int canaries = 0;
        int champions = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (CanarySplit.toCanary(name, batch, i, percent)) {
                toCanary[canaries++] = i;
            } else {
                toChampion[champions++] = i;
            }
        }
        RolloutFigures figures = served.figures();
        if (canaries > 0) {
            ServedModel.Installed challenger = served.challenger().get();
            InputBatch canaryBatch = canaries == batch.size() ? batch : batch.select(toCanary, canaries);
            long start = System.nanoTime();
            challenger.model().score(canaryBatch, challengerOutcomes.reset(canaries));
            figures.challengerTime((System.nanoTime() - start) / canaries);
            emitter.begin(canaryBatch, name, Result.Role.CANARY, challenger.version(), challenger.update().createdAtMillis(),
                    out, sides);
            for (int k = 0; k < canaries; k++) {
                count(figures, false, challengerOutcomes, k);
                if (challengerOutcomes.failed(k)) {
                    // The champion scores it instead, below: the canary's failure costs no result.
                    toChampion[champions++] = toCanary[k];
                } else {
                    challengerOutcomes.replay(k, emitter, k);
                }
            }
        }
        if (champions > 0) {
            ServedModel.Installed champion = served.champion();
            InputBatch championBatch = champions == batch.size() ? batch : batch.select(toChampion, champions);
            champion.model().score(championBatch, championOutcomes.reset(champions));
            emitter.begin(championBatch, name, Result.Role.CHAMPION, champion.version(), champion.update().createdAtMillis(),
                    out, sides);
            for (int k = 0; k < champions; k++) {
                count(figures, true, championOutcomes, k);
                championOutcomes.replay(k, emitter, k);
            }
        }
        suspendIfFailing(name, served);
    }

    private static void count(RolloutFigures figures, boolean champion, CapturedOutcomes outcomes, int i) {
        boolean failed = outcomes.failed(i);
        boolean scored = outcomes.kind(i) == CapturedOutcomes.Kind.PREDICTION;
        double score = scored ? outcomes.score(i) : 0;
        if (champion) {
            figures.champion(failed, score, scored);
        } else {
            figures.challenger(failed, score, scored);
        }
    }

    /** The local safety net: a challenger failing on most of its records stops scoring here at once. */
    private void suspendIfFailing(String name, ServedModel served) {
        RolloutFigures figures = served.figures();
        if (figures.challengerRecords >= SUSPEND_MIN_RECORDS && figures.challengerErrorRate() > SUSPEND_ERROR_RATE) {
            served.suspend();
            challengersSuspended.inc();
            LOG.warn("Subtask {} suspends challenger version {} of model {}: it failed on {} of {} records (more than {}); the"
                            + " champion alone scores until the rollout ends", subtask(), figures.challengerVersion, name,
                    figures.challengerErrors, figures.challengerRecords, SUSPEND_ERROR_RATE);
        }
    }

    /** Sends each rollout's figures when the report interval has passed. */
    private void reportIfDue(ResultEmitter.SideOutputs sides) {
        long now = System.currentTimeMillis();
        if (now - lastReportMillis < reportIntervalMillis) {
            return;
        }
        lastReportMillis = now;
        live.forEach((name, served) -> {
            if (served.figures() != null) {
                sides.output(Descriptors.ROLLOUT_FIGURES, served.figures().copyFor(name, now));
            }
        });
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
            live.values().forEach(ServedModel::close);
            live.clear();
        }
        super.close();
    }
}
