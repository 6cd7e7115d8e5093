package io.modelcast.job.events;

import io.modelcast.job.Descriptors;
import io.modelcast.job.JobOptions;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The preprocessing stage of raw events ({@code --input-format events}), between parsing and
 * scoring:
 *
 * <pre>
 * events ──► key by the spec's key field (broadcast) ──► keyBy ──► compute features (keyed state) ──► vectors
 *                         ▲                                                   ▲
 * models ─────────────────┴──────────────── broadcast ───────────────────────┘
 * </pre>
 *
 * Both steps take the feature spec from the model in force, so a new spec switches on every subtask
 * like any model.
 */
public final class EventFeatures {

    /** The uid of the keying step; its state holds the specs in force and the events that came before any. */
    public static final String KEY_EVENTS_UID = "key-events";
    /** The uid of the feature step; its keyed state holds every key's histories. */
    public static final String COMPUTE_FEATURES_UID = "compute-features";

    private EventFeatures() {}

    /**
     * What the stage produces: feature vectors for the scorer, events it rejected with the reason,
     * and events that came before any spec while {@code --max-pending} others waited.
     */
    public record Outputs(DataStream<InputBatch> vectors, DataStream<RejectedRecord> rejected,
            DataStream<RejectedRecord> noModelYet) {}

    /**
     * @param events raw events, parsed
     * @param validatedModels the loader's models, broadcast here to both steps (with their own state)
     */
    public static Outputs define(JobOptions options, DataStream<InputBatch> events, DataStream<ValidatedModel> validatedModels) {
        BroadcastStream<ValidatedModel> models = validatedModels.broadcast(SpecsInForce.DESCRIPTOR);
        SingleOutputStreamOperator<KeyedEvent> keyed = events
                .connect(models)
                .process(new KeyEvents(options.models().defaultName(), options.events().timeField(), options.scoring().maxPending()))
                .uid(KEY_EVENTS_UID)
                .name("Key events by the feature spec")
                .setParallelism(events.getParallelism());
        SingleOutputStreamOperator<InputBatch> vectors = keyed
                .keyBy(event -> event.key)
                .connect(models)
                .process(new ComputeFeatures(options.events().timeField(), options.events().maxOutOfOrderness(),
                        options.events().stateTtl()))
                .uid(COMPUTE_FEATURES_UID)
                .name("Compute features");
        options.scoring().parallelism().ifPresent(vectors::setParallelism);
        return new Outputs(vectors,
                keyed.getSideOutput(Descriptors.BAD_RECORDS).union(vectors.getSideOutput(Descriptors.BAD_RECORDS)),
                keyed.getSideOutput(Descriptors.NO_MODEL_YET));
    }
}
