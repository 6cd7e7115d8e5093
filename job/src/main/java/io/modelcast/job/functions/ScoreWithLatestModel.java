package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.ScoredRecord;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.IntegerModel;
import io.modelcast.model.Model;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemotePredictClient;
import io.modelcast.job.records.RemoteBatch;
import io.modelcast.job.records.RemoteCall;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Scores every input with the newest model this subtask has received through broadcast state. Inputs
 * come in batches ({@link InputBatch}), results go out one by one.
 *
 * <p>Model updates are applied the same way on every subtask and only if their version is newer
 * than the one held, so replays and reordering are harmless; the model applies from the next
 * record on. The live {@link Model} is built from the broadcast file bytes on each subtask (and
 * again after a restore); broadcast state holds only data.
 *
 * <p>Each result carries the model's version and age (time since the model was published). With a
 * maximum age, results of an older model go to {@link Descriptors#STALE} instead of the main
 * output. Records that arrive before any model are held, in order, in checkpointed operator state
 * and scored when the first model arrives; beyond {@code maxPending} held records they go to {@link
 * Descriptors#NO_MODEL_YET}. Held records restored from a checkpoint by a subtask that already has
 * a model are scored when its next record arrives (a non-keyed function has no timers). A model
 * that throws on a record sends that record to {@link Descriptors#BAD_RECORDS}; the job never fails
 * on data.
 *
 * <p>Feature models ({@code logistic}, {@code onnx}) score a batch's vectors up to {@code
 * batchSize} at a time, in one model call each; a vector of the wrong length goes to {@link
 * Descriptors#BAD_RECORDS} with the reason. A replaced model is closed at once (an ONNX session's
 * native memory is released on swap), and so is the last one when the operator closes.
 *
 * <p>A {@code remote} model is not called here: the inputs go to {@link Descriptors#REMOTE_CALLS},
 * up to {@code batchSize} to a request ({@link RemoteBatch}), each with the pointer attached
 * ({@link RemoteCall}), for the asynchronous step after this one: this operator never waits for
 * a call, only — through back-pressure — for room among the calls in flight. If the pointer falls back to a local
 * model, that model scores the input here too, and the result rides along for the case the call fails.
 *
 * <p>Metrics: gauges {@code modelVersion}, {@code modelAgeMs}, {@code recordsPending}; counters
 * {@code modelSwaps}, {@code recordsScored}, {@code recordsRejected}, {@code recordsWithoutModel},
 * {@code recordsStale}; histogram {@code scoringTimeNanos} (one record in {@value #TIMING_SAMPLE}).
 */
public final class ScoreWithLatestModel
        extends BroadcastProcessFunction<InputBatch, ModelUpdate, ScoredRecord>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithLatestModel.class);

    /** One record in this many is timed for the histogram: timing every one would cost more than scoring. */
    static final int TIMING_SAMPLE = 128;

    private final int maxPending;
    private final long maxModelBytes;
    private final long maxModelAgeMillis;
    private final int batchSize;

    private transient ModelFileCodec codec;
    private transient int subtask;
    /** The model in use, or null before the first one; {@link #modelVersion} is 0 then. */
    private transient Model model;
    /** {@link #model} if it is a remote model, else null. */
    private transient RemoteModel remoteModel;
    /** {@link #remoteModel}'s parameters as compact JSON, attached to each of its inputs. */
    private transient String remotePointer;
    /** {@link #remoteModel}'s local fallback model, or null; {@link #integerModel} or {@link #featureModel} is it. */
    private transient Model fallbackModel;
    private transient long fallbackVersion;
    /** {@link #model} (or the remote model's fallback) if it scores integers, else null. */
    private transient IntegerModel integerModel;
    /** {@link #model} (or the remote model's fallback) if it scores feature vectors, else null. */
    private transient FeatureModel featureModel;
    /** Up to {@link #batchSize} vectors, row-major, for one call of {@link #featureModel}. */
    private transient float[] rows;
    private transient double[] scores;
    /** Which input of the batch being scored each row is. */
    private transient int[] rowInputs;
    /** Volatile for the metric gauges, which read them from another thread. */
    private transient long modelVersion;
    private transient long modelCreatedAtMillis;
    /** What the gauges read, from the metrics thread: one consistent pair, replaced whole. */
    private transient volatile ModelStamp gaugedModel;
    private transient volatile int gaugedPending;
    /** After a restore the model is in broadcast state but not yet built: look once. */
    private transient boolean restoredModelChecked;
    private transient ArrayDeque<InputBatch> pending;
    /** How many inputs {@link #pending} holds. */
    private transient int pendingCount;
    private transient ListState<InputBatch> pendingState;
    private transient long sequence;

    private transient Counter recordsScored;
    private transient Counter recordsWithoutModel;
    private transient Counter recordsRejected;
    private transient Counter recordsStale;
    private transient Counter modelSwaps;
    private transient Histogram scoringTimeNanos;

    /**
     * @param maxPending records held per subtask while it has no model
     * @param maxModelBytes the size limit of a model file
     * @param maxModelAgeMillis results of a model older than this go to the stale output; 0 for no limit
     */
    public ScoreWithLatestModel(int maxPending, long maxModelBytes, long maxModelAgeMillis) {
        this(maxPending, maxModelBytes, maxModelAgeMillis, io.modelcast.job.JobOptions.DEFAULT_BATCH_SIZE);
    }

    /**
     * @param batchSize at most this many feature vectors go into one call of a feature model
     */
    public ScoreWithLatestModel(int maxPending, long maxModelBytes, long maxModelAgeMillis, int batchSize) {
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must not be negative, was " + maxPending);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.maxPending = maxPending;
        this.maxModelBytes = maxModelBytes;
        this.maxModelAgeMillis = maxModelAgeMillis;
        this.batchSize = batchSize;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ModelFileCodec(maxModelBytes);
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        recordsScored = metrics.counter("recordsScored");
        recordsWithoutModel = metrics.counter("recordsWithoutModel");
        recordsRejected = metrics.counter("recordsRejected");
        recordsStale = metrics.counter("recordsStale");
        modelSwaps = metrics.counter("modelSwaps");
        scoringTimeNanos = metrics.histogram("scoringTimeNanos", new DescriptiveStatisticsHistogram(1024));
        gaugedModel = ModelStamp.NONE;
        metrics.gauge("modelVersion", () -> gaugedModel.version());
        metrics.gauge("modelAgeMs", () -> gaugedModel.ageMillis());
        metrics.gauge("recordsPending", () -> gaugedPending);
    }

    @Override
    public void processElement(InputBatch batch, ReadOnlyContext ctx, Collector<ScoredRecord> out)
            throws Exception {
        if (model == null && !restoredModelChecked) {
            restoredModelChecked = true;
            ModelUpdate restored = ctx.getBroadcastState(Descriptors.CURRENT_MODEL).get(Descriptors.CURRENT_MODEL_KEY);
            if (restored != null) {
                apply(restored);
            }
        }
        if (model == null) {
            hold(batch, ctx);
            return;
        }
        Consumer<ScoredRecord> stale = r -> ctx.output(Descriptors.STALE, r);
        Consumer<RejectedRecord> failed = r -> ctx.output(Descriptors.BAD_RECORDS, r);
        Consumer<RemoteBatch> remote = r -> ctx.output(Descriptors.REMOTE_CALLS, r);
        if (!pending.isEmpty()) {
            scorePending(out, stale, failed, remote);
        }
        score(batch, out, stale, failed, remote);
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
            scorePending(out, r -> ctx.output(Descriptors.STALE, r), r -> ctx.output(Descriptors.BAD_RECORDS, r),
                    r -> ctx.output(Descriptors.REMOTE_CALLS, r));
        }
    }

    /** Builds and installs the model of an update; false (and logged) if it cannot be built. */
    private boolean apply(ModelUpdate update) {
        Model next;
        Model fallback = null;
        try {
            next = codec.decode(update.source, update.fileBytes).model();
            if (next instanceof RemoteModel && update.fallbackFileBytes != null) {
                try {
                    fallback = codec.decode(update.fallbackSource, update.fallbackFileBytes).model();
                } catch (ModelFileException | RuntimeException e) {
                    next.close();
                    throw e;
                }
            }
        } catch (ModelFileException | RuntimeException e) {
            // The loader validated these bytes with the same code, so this is unexpected — but a
            // model type's own code failing must not fail the job over and over.
            LOG.error("Subtask {} cannot apply model version {}; keeping version {}: {}",
                    subtask, update.version, modelVersion, e.getMessage());
            return false;
        }
        long previous = modelVersion;
        Model old = model;
        Model oldFallback = fallbackModel;
        model = next;
        remoteModel = next instanceof RemoteModel remote ? remote : null;
        remotePointer = remoteModel == null ? null : ModelTypes.parametersOf(remoteModel).toString();
        fallbackModel = fallback;
        fallbackVersion = fallback == null ? 0 : update.fallbackVersion;
        Model scoring = remoteModel == null ? next : fallback;
        integerModel = scoring instanceof IntegerModel integer ? integer : null;
        featureModel = scoring instanceof FeatureModel features ? features : null;
        if (featureModel != null) {
            rows = new float[batchSize * featureModel.featureCount()];
            scores = new double[batchSize];
            rowInputs = new int[batchSize];
        }
        if (old != null) {
            // The old model is no longer reachable from here: an ONNX session is released now,
            // not when the garbage collector gets to it.
            old.close();
        }
        if (oldFallback != null) {
            oldFallback.close();
        }
        modelVersion = update.version;
        modelCreatedAtMillis = update.createdAtMillis;
        gaugedModel = new ModelStamp(update.version, update.createdAtMillis);
        modelSwaps.inc();
        LOG.info("Subtask {} swapped model version {} -> {} ({})",
                subtask, previous == 0 ? "none" : previous, update.version, update.source);
        return true;
    }

    /** Holds what fits under {@code maxPending}; the rest goes to {@link Descriptors#NO_MODEL_YET}. */
    private void hold(InputBatch batch, ReadOnlyContext ctx) {
        int room = maxPending - pendingCount;
        int held = Math.min(room, batch.size());
        if (held > 0) {
            pending.add(held == batch.size() ? batch : batch.slice(0, held));
            pendingCount += held;
            gaugedPending = pendingCount;
        }
        for (int i = held; i < batch.size(); i++) {
            recordsWithoutModel.inc();
            ctx.output(Descriptors.NO_MODEL_YET, new RejectedRecord(batch.text(i),
                    "no model yet, and " + maxPending + " records are already waiting for one (--max-pending)",
                    batch.origin(i)));
        }
    }

    /** Scores the held inputs; the consumers take what goes to the stale and bad-record outputs. */
    private void scorePending(Collector<ScoredRecord> out, Consumer<ScoredRecord> stale, Consumer<RejectedRecord> failed,
            Consumer<RemoteBatch> remote) {
        for (InputBatch batch; (batch = pending.poll()) != null; ) {
            score(batch, out, stale, failed, remote);
        }
        pendingCount = 0;
        gaugedPending = 0;
    }

    /**
     * Scores a batch: each result to {@code out}, or to {@code stale} if the model is older than
     * the maximum age; each input the model throws on to {@code failed}; with a remote model, each
     * input to {@code remote}.
     */
    private void score(InputBatch batch, Collector<ScoredRecord> out, Consumer<ScoredRecord> stale,
            Consumer<RejectedRecord> failed, Consumer<RemoteBatch> remote) {
        long age = System.currentTimeMillis() - modelCreatedAtMillis;
        if (remoteModel != null) {
            // Stale results of a remote model are told apart after the call, when they exist.
            attachRemoteCalls(batch, age, remote);
            return;
        }
        boolean tooOld = maxModelAgeMillis > 0 && age > maxModelAgeMillis;
        if (batch.hasFeatures() != (featureModel != null)) {
            // The loader rejects models for the other kind of input; this is the last line of defence.
            for (int i = 0; i < batch.size(); i++) {
                failed.accept(new RejectedRecord(batch.text(i), "model version " + modelVersion + " (" + model.typeName()
                        + ") does not score " + (batch.hasFeatures() ? "feature vectors" : "integers"), batch.origin(i)));
            }
            recordsRejected.inc(batch.size());
            return;
        }
        if (featureModel != null) {
            scoreFeatures(batch, age, tooOld ? stale : out::collect, failed);
            return;
        }
        int scored = 0;
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            long value = batch.value(i);
            String output;
            try {
                if (++sequence % TIMING_SAMPLE == 0) {
                    long start = System.nanoTime();
                    output = integerModel.transform(value);
                    scoringTimeNanos.update(System.nanoTime() - start);
                } else {
                    output = integerModel.transform(value);
                }
            } catch (RuntimeException e) {
                rejected++;
                failed.accept(new RejectedRecord(batch.text(i),
                        "model version " + modelVersion + " failed on this input: " + e, batch.origin(i)));
                continue;
            }
            ScoredRecord result = new ScoredRecord(batch.text(i), output, modelVersion, age, subtask, batch.origin(i));
            scored++;
            if (tooOld) {
                stale.accept(result);
            } else {
                out.collect(result);
            }
        }
        (tooOld ? recordsStale : recordsScored).inc(scored);
        recordsRejected.inc(rejected);
    }

    /**
     * Scores a batch of feature vectors with {@link #featureModel}, up to {@link #batchSize} rows
     * per model call. A vector of the wrong length, or a call that fails, sends its inputs to
     * {@code failed} with the reason.
     */
    private void scoreFeatures(InputBatch batch, long age, Consumer<ScoredRecord> results, Consumer<RejectedRecord> failed) {
        int k = featureModel.featureCount();
        int count = 0;
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            int features = batch.featureCount(i);
            if (features != k) {
                rejected++;
                failed.accept(new RejectedRecord(batch.text(i), "has " + features + " features; model version " + modelVersion
                        + " takes " + k, batch.origin(i)));
                continue;
            }
            batch.copyFeatures(i, rows, count * k);
            rowInputs[count++] = i;
            if (count == batchSize) {
                rejected += callFeatureModel(batch, count, age, results, failed);
                count = 0;
            }
        }
        if (count > 0) {
            rejected += callFeatureModel(batch, count, age, results, failed);
        }
        recordsRejected.inc(rejected);
    }

    /** One model call over the first {@code count} rows; returns how many inputs it rejected. */
    private int callFeatureModel(InputBatch batch, int count, long age, Consumer<ScoredRecord> results,
            Consumer<RejectedRecord> failed) {
        long start = System.nanoTime();
        try {
            featureModel.score(rows, count, scores);
        } catch (RuntimeException e) {
            for (int r = 0; r < count; r++) {
                int i = rowInputs[r];
                failed.accept(new RejectedRecord(batch.text(i), "model version " + modelVersion + " failed on the batch of "
                        + count + " holding this input: " + e, batch.origin(i)));
            }
            return count;
        }
        scoringTimeNanos.update((System.nanoTime() - start) / count);
        for (int r = 0; r < count; r++) {
            int i = rowInputs[r];
            results.accept(ScoredRecord.prediction(batch.text(i), batch.id(i), scores[r], featureModel.label(scores[r]),
                    modelVersion, age, subtask, batch.origin(i)));
        }
        (maxModelAgeMillis > 0 && age > maxModelAgeMillis ? recordsStale : recordsScored).inc(count);
        return 0;
    }

    /**
     * Sends the inputs of a batch on to the remote model, up to {@link #batchSize} to a request, with
     * the pointer and the instance to post attached — and, if the pointer falls back to a local
     * model, that model's result.
     */
    private void attachRemoteCalls(InputBatch batch, long age, Consumer<RemoteBatch> remote) {
        ScoredRecord[] request = new ScoredRecord[Math.min(batchSize, batch.size())];
        int inRequest = 0;
        for (int i = 0; i < batch.size(); i++) {
            float[] features = batch.hasFeatures() ? batch.features(i) : null;
            RemoteCall call = new RemoteCall(modelVersion, remotePointer, features == null
                    ? RemotePredictClient.integerInstance(batch.value(i))
                    : RemotePredictClient.featureInstance(features, 0, features.length));
            if (fallbackModel != null) {
                scoreFallback(call, batch.value(i), features);
            }
            request[inRequest++] = ScoredRecord.awaitingRemote(batch.text(i), batch.id(i), modelVersion, age, subtask,
                    batch.origin(i), call);
            if (inRequest == request.length) {
                remote.accept(new RemoteBatch(request));
                request = new ScoredRecord[Math.min(batchSize, batch.size() - i - 1)];
                inRequest = 0;
            }
        }
    }

    /** The fallback model's result for one input, into {@code call}; what stops it, into {@code call.fallbackError}. */
    private void scoreFallback(RemoteCall call, long value, float[] features) {
        call.fallbackVersion = fallbackVersion;
        try {
            if (features == null && integerModel != null) {
                call.fallbackOutput = integerModel.transform(value);
            } else if (features != null && featureModel != null) {
                if (features.length != featureModel.featureCount()) {
                    call.fallbackError = "has " + features.length + " features; fallback model version " + fallbackVersion
                            + " takes " + featureModel.featureCount();
                    return;
                }
                call.fallbackScore = featureModel.score(features);
                call.fallbackOutput = Integer.toString(featureModel.label(call.fallbackScore));
            } else {
                call.fallbackError = "fallback model version " + fallbackVersion + " (" + fallbackModel.typeName()
                        + ") does not score " + (features == null ? "integers" : "feature vectors");
            }
        } catch (RuntimeException e) {
            call.fallbackError = "fallback model version " + fallbackVersion + " failed on this input: " + e;
        }
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
            model = null;
        }
        if (fallbackModel != null) {
            fallbackModel.close();
            fallbackModel = null;
        }
        super.close();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(new ArrayList<>(pending));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState = context.getOperatorStateStore().getListState(Descriptors.INPUTS_WAITING_FOR_A_MODEL);
        pending = new ArrayDeque<>();
        pendingCount = 0;
        for (InputBatch batch : pendingState.get()) {
            pending.add(batch);
            pendingCount += batch.size();
        }
        gaugedPending = pendingCount;
    }

    /** A model version and when it was created, for the gauges; version 0 means none yet. */
    private record ModelStamp(long version, long createdAtMillis) {
        static final ModelStamp NONE = new ModelStamp(0, 0);

        long ageMillis() {
            return version == 0 ? -1 : System.currentTimeMillis() - createdAtMillis;
        }
    }
}
