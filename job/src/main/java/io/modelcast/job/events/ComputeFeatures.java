package io.modelcast.job.events;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.KeyHistories;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes the features of raw events in keyed state, with the spec of the model in force
 * ({@link FeatureComputer}, the code the fitter trains with): per key — a model name and its key
 * field's value — the feature histories ({@link KeyHistories}, bounded: {@code last N} keeps N
 * events, a window what it and the lateness need), in a {@link ValueState} ({@link
 * KeyHistoriesSerializer}) with a processing-time TTL. Each event leaves as a feature vector stamped with its model name and the
 * fingerprint of the spec that computed it, so a model scores only vectors of its own spec.
 *
 * <p>When a model's spec changes, every key's histories are carried to the new spec on every subtask
 * at once: histories of features it still computes the same way are kept, the rest dropped
 * ({@link KeyHistories#forSpec}). Rejected, with the reason, to {@link Descriptors#BAD_RECORDS}:
 * events more than {@code --max-out-of-orderness} behind the newest of their key (late), events the
 * spec now in force cannot use, and events keyed by a field the spec no longer keys by (keyed just
 * before a spec change reached this subtask). Events keyed with a spec that has not reached this
 * subtask yet wait for it in keyed state ({@link #WAITING}).
 */
public final class ComputeFeatures extends KeyedBroadcastProcessFunction<String, KeyedEvent, ValidatedModel, InputBatch>
        implements CheckpointedFunction {

    /** Keyed state: one key's histories, in {@link KeyHistories}' versioned binary form. */
    static final String HISTORIES = "feature-histories";

    /**
     * Keyed state: events keyed with a spec that had not reached this subtask yet (a model's first or
     * new spec reaches the subtasks one by one); they are computed when it does.
     */
    static final ListStateDescriptor<KeyedEvent> WAITING =
            new ListStateDescriptor<>("events-waiting-for-their-spec", TypeInformation.of(KeyedEvent.class));

    private final String timeField;
    private final long latenessMillis;
    private final Duration stateTtl;

    private transient SpecsInForce specs;
    private transient ValueStateDescriptor<KeyHistories> descriptor;
    private transient ValueState<KeyHistories> histories;
    private transient ListState<KeyedEvent> waiting;
    private transient EventReader reader;
    private transient Counter late;
    private transient Counter rejected;

    public ComputeFeatures(String timeField, Duration maxOutOfOrderness, Duration stateTtl) {
        this.timeField = timeField;
        this.latenessMillis = maxOutOfOrderness.toMillis();
        this.stateTtl = stateTtl;
    }

    /** The keyed state's descriptor, with its TTL. */
    static ValueStateDescriptor<KeyHistories> descriptor(Duration ttl) {
        ValueStateDescriptor<KeyHistories> descriptor = new ValueStateDescriptor<>(HISTORIES, KeyHistoriesSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        specs = new SpecsInForce(latenessMillis);
        specs.restore(context.getOperatorStateStore().getBroadcastState(SpecsInForce.DESCRIPTOR));
    }

    @Override
    public void open(OpenContext openContext) {
        descriptor = descriptor(stateTtl);
        histories = getRuntimeContext().getState(descriptor);
        waiting = getRuntimeContext().getListState(WAITING);
        reader = new EventReader(timeField);
        late = getRuntimeContext().getMetricGroup().counter("eventsLate");
        rejected = getRuntimeContext().getMetricGroup().counter("eventsRejected");
    }

    @Override
    public void processElement(KeyedEvent event, ReadOnlyContext ctx, Collector<InputBatch> out) throws Exception {
        if (event.version > specs.version(event.model)) {
            // Keyed with a spec that has not reached this subtask yet: it waits for it, in keyed state.
            waiting.add(event);
            return;
        }
        compute(event, ctx::output, out);
    }

    /** Computes an event's features with the spec in force, or rejects it saying why. */
    private void compute(KeyedEvent event, Rejections rejections, Collector<InputBatch> out) throws Exception {
        FeatureComputer computer = specs.get(event.model);
        String keyField = computer.keyField().orElse(null);
        if (!Objects.equals(keyField, event.keyField)) {
            reject(rejections, event, "keyed by " + describe(event.keyField) + ", but the feature spec now in force keys by "
                    + describe(keyField) + " (the spec changed while the event was on its way)");
            return;
        }
        long time = event.time;
        double[] inputs = event.inputs;
        if (event.version != specs.version(event.model)) {
            // Keyed with an older spec: read again for the one in force (this happens around a spec change).
            if (!reader.read(event.text, computer)) {
                reject(rejections, event, reader.problem());
                return;
            }
            time = reader.event().timeMillis();
            inputs = computer.inputs(reader.event());
        }
        KeyHistories keyHistories = read(computer);
        if (computer.isLate(time, keyHistories)) {
            late.inc();
            reject(rejections, event, "late: " + (keyHistories.newestMillis() - time) + " ms behind the"
                    + " newest event of its key, more than --max-out-of-orderness (" + latenessMillis + " ms)");
            return;
        }
        double[] features = computer.compute(time, inputs, keyHistories);
        histories.update(keyHistories);
        out.collect(vector(event, features, computer.fingerprint()));
    }

    /** The key's histories for the spec in force: new, as stored, or carried over from another spec's. */
    private KeyHistories read(FeatureComputer computer) throws IOException {
        KeyHistories stored = histories.value();
        if (stored == null) {
            return computer.newHistories();
        }
        return computer.ready(stored);
    }

    private static InputBatch vector(KeyedEvent event, double[] features, long fingerprint) {
        float[] vector = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            vector[i] = (float) features[i];
        }
        byte[] text = event.text.getBytes(StandardCharsets.UTF_8);
        return new InputBatchBuilder(1, text.length)
                .add(text, 0, text.length, 0, event.origin)
                .withFeatures(vector, event.id)
                .withModel(event.model)
                .withSpec(fingerprint)
                .build();
    }

    @Override
    public void processBroadcastElement(ValidatedModel update, Context ctx, Collector<InputBatch> out) throws Exception {
        long before = specs.version(update.name());
        Optional<FeatureComputer> changed = specs.apply(update, ctx.getBroadcastState(SpecsInForce.DESCRIPTOR));
        if (changed.isPresent() && before != Long.MIN_VALUE) {
            // Every key of the model, on every subtask: keep what the new spec still uses, drop the rest.
            FeatureSpec spec = changed.get().spec();
            ctx.applyToKeyedState(descriptor, (key, state) -> {
                if (!KeyedEvent.isOf(key, update.name()) || state.value() == null) {
                    return;
                }
                KeyHistories carried = state.value().forSpec(spec);
                if (carried.events() == 0) {
                    state.clear();
                } else {
                    state.update(carried);
                }
            });
        }
        if (specs.version(update.name()) != before) {
            // Events that waited for this spec, key by key (Flink sets each key as the current one).
            ctx.applyToKeyedState(WAITING, (key, events) -> {
                List<KeyedEvent> ready = new ArrayList<>();
                List<KeyedEvent> still = new ArrayList<>();
                for (KeyedEvent event : events.get()) {
                    (event.version > specs.version(event.model) ? still : ready).add(event);
                }
                events.update(still);
                for (KeyedEvent event : ready) {
                    compute(event, ctx::output, out);
                }
            });
        }
    }

    private void reject(Rejections rejections, KeyedEvent event, String reason) {
        rejected.inc();
        rejections.output(Descriptors.BAD_RECORDS, new RejectedRecord(event.text, reason, event.origin));
    }

    private static String describe(String field) {
        return field == null ? "no field" : "'" + field + "'";
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Keyed and broadcast state are snapshotted by Flink; nothing of its own.
    }
}
