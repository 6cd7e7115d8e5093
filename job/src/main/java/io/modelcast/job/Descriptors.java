package io.modelcast.job;

import io.modelcast.job.drift.DriftCounts;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteCallInFlight;
import io.modelcast.job.records.Result;
import io.modelcast.job.score.RolloutFigures;
import io.modelcast.model.ModelName;

import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.util.OutputTag;

/**
 * The job's state descriptors and side-output tags, in one place for the job and its tests.
 *
 * <p>Names are part of savepoint compatibility: changing one drops that state on restore.
 */
public final class Descriptors {

    private Descriptors() {}

    /**
     * Broadcast state of every scoring subtask: the models in use — each name's champion under the
     * name, its challenger, while one runs, under the name and {@code @challenger}. The scorer builds
     * its live models from these entries, after a restore too.
     */
    public static final MapStateDescriptor<String, ValidatedModel> MODELS =
            new MapStateDescriptor<>("models", Types.STRING, TypeInformation.of(ValidatedModel.class));

    /** The key of the default model's champion, where builds before model names kept their one model. */
    public static final String DEFAULT_SLOT = ModelName.DEFAULT;

    /**
     * The broadcast state of builds before {@link #MODELS}: the model version in use, as its model
     * file's bytes. A restore moves its entry into {@link #MODELS} and clears it.
     */
    public static final MapStateDescriptor<String, ModelUpdate> LEGACY_CURRENT_MODEL =
            new MapStateDescriptor<>(
                    "current-model", Types.STRING, TypeInformation.of(ModelUpdate.class));

    /** The single key of {@link #LEGACY_CURRENT_MODEL}. */
    public static final String LEGACY_CURRENT_MODEL_KEY = "current";

    /** Operator state of a scoring subtask: inputs that arrived before any model, in order. */
    public static final ListStateDescriptor<InputBatch> INPUTS_WAITING_FOR_A_MODEL =
            new ListStateDescriptor<>(
                    "inputs-waiting-for-a-model", TypeInformation.of(InputBatch.class));

    /** Operator state of the model loader in builds before model names: the highest model version it had let through. */
    public static final ListStateDescriptor<Long> HIGHEST_MODEL_VERSION_LOADED =
            new ListStateDescriptor<>("highest-model-version-loaded", Types.LONG);

    /**
     * Operator state of the model loader: per model name, the highest version let through, the
     * champion and challenger versions in force, and whether the champion is remote. Replaces
     * {@link #HIGHEST_MODEL_VERSION_LOADED}, which a restore from an older build reads once and clears.
     */
    public static final ListStateDescriptor<Tuple5<String, Long, Long, Long, Boolean>> MODEL_ROSTER =
            new ListStateDescriptor<>("model-roster", Types.TUPLE(Types.STRING, Types.LONG, Types.LONG, Types.LONG, Types.BOOLEAN));

    /** Operator state of the socket path's parser, when it numbers lines: the next line's number. */
    public static final ListStateDescriptor<Long> NEXT_LINE_SEQUENCE =
            new ListStateDescriptor<>("next-line-sequence", Types.LONG);

    /** Inputs that are not valid records, or that the model failed on, with the reason. */
    public static final OutputTag<RejectedRecord> BAD_RECORDS =
            new OutputTag<>("bad-records", TypeInformation.of(RejectedRecord.class));

    /** Kafka inputs that are not valid records, with their original bytes and the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Inputs that arrived before any model while {@code --max-pending} others were waiting. */
    public static final OutputTag<RejectedRecord> NO_MODEL_YET =
            new OutputTag<>("no-model-yet", TypeInformation.of(RejectedRecord.class));

    /** Results of a model older than {@code --max-model-age}, held back from the main output. */
    public static final OutputTag<Result> STALE =
            new OutputTag<>("stale", TypeInformation.of(Result.class));

    /**
     * Inputs on their way to a remote model, out of the scoring operator, a request's worth at a
     * time ({@link io.modelcast.job.records.RemoteRequest}): each input becomes a result, a fallback
     * result or a rejection after the call.
     */
    public static final OutputTag<RemoteCallInFlight> REMOTE_CALLS =
            new OutputTag<>("remote-calls", TypeInformation.of(RemoteCallInFlight.class));

    /** Shadow rollouts: one JSON line per input with the champion's and the challenger's outcome ({@code ShadowLine}). */
    public static final OutputTag<String> SHADOW = new OutputTag<>("shadow", Types.STRING);

    /** Each scoring subtask's figures of each rollout, every report interval, for the report aggregation. */
    public static final OutputTag<RolloutFigures> ROLLOUT_FIGURES =
            new OutputTag<>("rollout-figures", TypeInformation.of(RolloutFigures.class));

    /** Each scoring subtask's drift counts of each model version with a training profile, per drift window. */
    public static final OutputTag<DriftCounts> DRIFT_COUNTS =
            new OutputTag<>("drift-counts", TypeInformation.of(DriftCounts.class));

    /** Model files that were not applied, with the reason. */
    public static final OutputTag<RejectedModel> REJECTED_MODELS =
            new OutputTag<>("rejected-models", TypeInformation.of(RejectedModel.class));
}
