package io.modelcast.job.events;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.score.PendingInputs;
import io.modelcast.model.ModelName;
import io.modelcast.model.features.FeatureComputer;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first step of raw events ({@code --input-format events}): keys each event by the model it is
 * for (its {@code model} field, or the default model) and the value of that model's key field, as the
 * spec in force says — the key field is in the model file, so it can change while the job runs, which
 * a static key selector could not follow. Events the spec cannot use (no time, a missing or
 * non-numeric field, no key) and events for a model without a spec go to {@link Descriptors#BAD_RECORDS}
 * with the reason. Events that come before any spec are held, in checkpointed operator state, up to
 * {@code maxPending} per subtask, and keyed when the first spec arrives; more go to {@link
 * Descriptors#NO_MODEL_YET}.
 */
public final class KeyEvents extends BroadcastProcessFunction<InputBatch, ValidatedModel, KeyedEvent>
        implements CheckpointedFunction {

    /** Operator state: events that came before any spec. */
    static final ListStateDescriptor<InputBatch> EVENTS_WAITING_FOR_A_SPEC =
            new ListStateDescriptor<>("events-waiting-for-a-spec", TypeInformation.of(InputBatch.class));

    private final String defaultName;
    private final String timeField;
    private final int maxPending;

    private transient SpecsInForce specs;
    private transient PendingInputs pending;
    private transient EventReader reader;
    private transient Counter rejected;

    public KeyEvents(String defaultName, String timeField, int maxPending) {
        this.defaultName = ModelName.require(defaultName);
        this.timeField = timeField;
        this.maxPending = maxPending;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        specs = new SpecsInForce(0);
        specs.restore(context.getOperatorStateStore().getBroadcastState(SpecsInForce.DESCRIPTOR));
        pending = new PendingInputs(maxPending, context.getOperatorStateStore().getListState(EVENTS_WAITING_FOR_A_SPEC));
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new EventReader(timeField);
        rejected = getRuntimeContext().getMetricGroup().counter("eventsRejected");
    }

    @Override
    public void processElement(InputBatch batch, ReadOnlyContext ctx, Collector<KeyedEvent> out) {
        if (specs.isEmpty()) {
            for (int i = pending.hold(batch); i < batch.size(); i++) {
                ctx.output(Descriptors.NO_MODEL_YET, new RejectedRecord(batch.text(i), "no model with a feature spec yet, and "
                        + maxPending + " events are already waiting for one (--max-pending)", batch.origin(i)));
            }
            return;
        }
        key(batch, ctx::output, out);
    }

    @Override
    public void processBroadcastElement(ValidatedModel update, Context ctx, Collector<KeyedEvent> out) throws Exception {
        BroadcastState<String, Tuple2<Long, String>> state = ctx.getBroadcastState(SpecsInForce.DESCRIPTOR);
        specs.apply(update, state);
        if (!specs.isEmpty() && !pending.isEmpty()) {
            pending.drain(batch -> key(batch, ctx::output, out));
        }
    }

    private void key(InputBatch batch, Rejections rejections, Collector<KeyedEvent> out) {
        for (int i = 0; i < batch.size(); i++) {
            String model = batch.model(i) == null ? defaultName : batch.model(i);
            String text = batch.text(i);
            FeatureComputer computer = specs.get(model);
            if (computer == null) {
                reject(rejections, batch, i, "no model named " + model + " with a feature spec is loaded (publish one"
                        + " into the models directory's " + model + "/, or name another)");
            } else if (!reader.read(text, computer)) {
                reject(rejections, batch, i, reader.problem());
            } else {
                out.collect(new KeyedEvent(model, specs.version(model), computer.keyField().orElse(null),
                        computer.key(reader.event()), reader.event().timeMillis(), computer.inputs(reader.event()), text,
                        batch.id(i), batch.origin(i)));
            }
        }
    }

    private void reject(Rejections rejections, InputBatch batch, int i, String reason) {
        rejected.inc();
        rejections.output(Descriptors.BAD_RECORDS, new RejectedRecord(batch.text(i), reason, batch.origin(i)));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pending.snapshot();
    }
}
