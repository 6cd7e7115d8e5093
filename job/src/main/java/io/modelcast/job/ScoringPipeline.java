package io.modelcast.job;

import io.modelcast.job.drift.ReportDrift;
import io.modelcast.job.events.EventFeatures;
import io.modelcast.job.parse.ParseInput;
import io.modelcast.job.modelupdates.LoadModel;
import io.modelcast.job.modelupdates.ModelRecovery;
import io.modelcast.job.store.ModelStore;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteCallInFlight;
import io.modelcast.job.records.RemoteOutcome;
import io.modelcast.job.records.Result;
import io.modelcast.job.options.RemoteOptions.RemoteOrder;
import io.modelcast.job.remote.CallRemoteModel;
import io.modelcast.job.remote.SplitRemoteResults;
import io.modelcast.job.score.ReportRollouts;
import io.modelcast.job.score.RolloutFigures;
import io.modelcast.job.score.ScoreWithLiveModels;
import io.modelcast.job.score.UnbatchResults;

import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The job's workflow, without sources or sinks, so both input paths and the tests run the same
 * graph:
 *
 * <pre>
 * inputs ──► rebalance ──► score (BroadcastProcessFunction) ──► one by one ──────────────► scored
 *                            ▲          └─ remote model: ──► call (async I/O) ──► split ──┘
 * model files ──► load + validate ──► broadcast
 * </pre>
 *
 * With {@code --input-format events}, raw events first pass {@link EventFeatures}, which computes
 * each one's features in keyed state with the feature spec of the model in force.
 *
 * With {@code --remote-requests} above 0, inputs scored by a {@code remote} model leave the scoring
 * operator as requests that name the pointer, and are called in Flink's async I/O ({@code
 * --remote-requests} requests in flight per subtask, ordered or not), so the broadcast operator never
 * waits for a call — only, through back-pressure, for room among the calls in flight; results of
 * local models skip that step.
 *
 * Every stateful operator has a uid, so savepoints survive changes to the graph around it.
 */
public final class ScoringPipeline {

    /** The uid of the scoring operator, whose broadcast state holds the model in use. */
    public static final String SCORE_UID = "score";

    private ScoringPipeline() {}

    /**
     * What the workflow produces: scored records, every kind of rejection, and the rollouts'
     * outputs — shadow lines ({@code ShadowLine}) and rollout reports ({@link ReportRollouts}), JSON —
     * and drift records ({@link ReportDrift}), JSON.
     */
    public record Outputs(
            DataStream<Result> scored,
            DataStream<Result> stale,
            DataStream<RejectedRecord> modelFailures,
            DataStream<RejectedRecord> noModelYet,
            DataStream<RejectedModel> rejectedModels,
            DataStream<String> shadow,
            DataStream<String> reports,
            DataStream<String> drift) {

        /** The same outputs with the scored records passed through {@code scored}. */
        public Outputs withScored(DataStream<Result> newScored) {
            return new Outputs(newScored, stale, modelFailures, noModelYet, rejectedModels, shadow, reports, drift);
        }
    }

    /** The socket path's parsing step: valid lines and the rejected ones. */
    public record ParsedLines(DataStream<InputBatch> records, DataStream<RejectedRecord> rejected) {}

    /** Parses lines of integers into records, chained to their source. */
    public static ParsedLines parseLines(DataStream<LineBatch> lines) {
        return parseLines(lines, InputFormat.INT);
    }

    /** Parses lines of text in {@code format} into records, chained to their source. */
    public static ParsedLines parseLines(DataStream<LineBatch> lines, InputFormat format) {
        return parseLines(lines, format, null);
    }

    /**
     * Parses lines of text in {@code format} into records, chained to their source; with a {@code
     * sourceName}, every line gets an origin with its sequence number (for a database key).
     */
    public static ParsedLines parseLines(DataStream<LineBatch> lines, InputFormat format, String sourceName) {
        SingleOutputStreamOperator<InputBatch> parsed =
                lines.process(new ParseInput(format, sourceName))
                        .uid("parse-input")
                        .name("Parse input")
                        // Chained to the source: parsing needs no hop of its own.
                        .setParallelism(lines.getParallelism());
        return new ParsedLines(parsed, parsed.getSideOutput(Descriptors.BAD_RECORDS));
    }

    /**
     * Scores {@code inputs} with the newest model found among {@code modelFiles}.
     *
     * @param modelFiles model files as read from the model directory, in parallelism 1
     */
    public static Outputs define(JobOptions options, DataStream<InputBatch> inputs, DataStream<ModelFileBytes> modelFiles) {
        Optional<ModelStore> store = options.models().store().resolve(inputs.getExecutionEnvironment().getConfiguration());
        LoadModel loader = new LoadModel(options.models().maxModelBytes(), options.scoring().inputFormat(), options.remote().enabled(),
                options.models().maxModels());
        store.ifPresent(loader::storingIn);
        SingleOutputStreamOperator<ValidatedModel> models =
                modelFiles.process(loader)
                        .uid("load-model")
                        .name("Load and validate model")
                        .setParallelism(1)
                        // Updates are rare: each one is sent to the scorers at once rather than
                        // when the network buffer times out.
                        .setBufferTimeout(0);
        BroadcastStream<ValidatedModel> broadcastModels = models.broadcast(Descriptors.MODELS);
        Optional<EventFeatures.Outputs> events = Optional.empty();
        if (options.scoring().inputFormat() == InputFormat.EVENTS) {
            // Raw events: their features are computed first, with the spec of the model in force.
            events = Optional.of(EventFeatures.define(options, inputs, models));
            inputs = events.get().vectors();
        }

        SingleOutputStreamOperator<List<Result>> scorer =
                inputs.rebalance()
                        .connect(broadcastModels)
                        .process(new ScoreWithLiveModels(options.scoring().maxPending(), options.models().maxModelBytes(),
                                options.scoring().modelAgeLimit(), options.scoring().batchSize(),
                                options.models().defaultName(), options.models().reportInterval(), options.drift().window())
                                .emittingFeatures(options.events().emitFeatures())
                                .recoveringFrom(new ModelRecovery(options.models().directory().map(Object::toString).orElse(null),
                                        options.models().maxModelBytes(), options.scoring().inputFormat(), store.orElse(null))))
                        .returns(new ListTypeInfo<>(Result.class))
                        .uid(SCORE_UID)
                        .name("Score with latest model");
        options.scoring().parallelism().ifPresent(scorer::setParallelism);
        // The scorer hands its results on in lists (see ResultsOfOneCall); this, chained to it, unpacks them.
        SingleOutputStreamOperator<Result> scored = scorer.flatMap(new UnbatchResults())
                .uid("unbatch-results")
                .name("Results one by one")
                .setParallelism(scorer.getParallelism());
        DataStream<String> shadow = scorer.getSideOutput(Descriptors.SHADOW);
        DataStream<RolloutFigures> figures = scorer.getSideOutput(Descriptors.ROLLOUT_FIGURES);
        DataStream<String> drift = ReportDrift.define(scorer.getSideOutput(Descriptors.DRIFT_COUNTS), options.drift().window(),
                options.drift().threshold());

        Outputs outputs = remoteOrLocal(options, scorer, scored, models, shadow, figures, drift);
        if (events.isEmpty()) {
            return outputs;
        }
        return new Outputs(outputs.scored(), outputs.stale(), events.get().rejected().union(outputs.modelFailures()),
                events.get().noModelYet().union(outputs.noModelYet()), outputs.rejectedModels(), outputs.shadow(),
                outputs.reports(), outputs.drift());
    }

    /** The outputs of the scorer alone, or, with remote scoring, of the scorer and the remote step. */
    private static Outputs remoteOrLocal(JobOptions options, SingleOutputStreamOperator<List<Result>> scorer,
            DataStream<Result> scored, SingleOutputStreamOperator<ValidatedModel> models, DataStream<String> shadow,
            DataStream<RolloutFigures> figures, DataStream<String> drift) {
        if (!options.remote().enabled()) {
            // No remote scoring: results go on from the scoring operator alone, so what comes next
            // can be chained to it.
            return new Outputs(
                    scored,
                    scorer.getSideOutput(Descriptors.STALE),
                    scorer.getSideOutput(Descriptors.BAD_RECORDS),
                    scorer.getSideOutput(Descriptors.NO_MODEL_YET),
                    models.getSideOutput(Descriptors.REJECTED_MODELS),
                    shadow,
                    ReportRollouts.define(figures, options.models().reportInterval()),
                    drift);
        }
        SingleOutputStreamOperator<Result> remote = callRemoteModels(options, scorer.getSideOutput(Descriptors.REMOTE_CALLS));

        return new Outputs(
                scored.union(remote),
                scorer.getSideOutput(Descriptors.STALE).union(remote.getSideOutput(Descriptors.STALE)),
                scorer.getSideOutput(Descriptors.BAD_RECORDS).union(remote.getSideOutput(Descriptors.BAD_RECORDS)),
                scorer.getSideOutput(Descriptors.NO_MODEL_YET),
                models.getSideOutput(Descriptors.REJECTED_MODELS),
                // A remote challenger's side of a rollout comes from the remote step.
                shadow.union(remote.getSideOutput(Descriptors.SHADOW)),
                ReportRollouts.define(figures.union(remote.getSideOutput(Descriptors.ROLLOUT_FIGURES)),
                        options.models().reportInterval()),
                drift);
    }

    /** The uid of the async operator that calls remote models; its state holds the calls in flight. */
    public static final String CALL_REMOTE_UID = "call-remote-model";

    /** Makes each remote request, and sorts the outcomes into results, stale results and rejections. */
    private static SingleOutputStreamOperator<Result> callRemoteModels(JobOptions options,
            DataStream<RemoteCallInFlight> calls) {
        long timeout = CallRemoteModel.OPERATOR_TIMEOUT.toMillis();
        int capacity = options.remote().requests();
        SingleOutputStreamOperator<RemoteOutcome> called = options.remote().order() == RemoteOrder.ORDERED
                ? AsyncDataStream.orderedWait(calls, new CallRemoteModel(), timeout, TimeUnit.MILLISECONDS, capacity)
                : AsyncDataStream.unorderedWait(calls, new CallRemoteModel(), timeout, TimeUnit.MILLISECONDS, capacity);
        called.uid(CALL_REMOTE_UID)
                .name("Call remote model (" + capacity + " in flight, " + options.remote().order().name().toLowerCase(Locale.ROOT) + ")")
                .setParallelism(calls.getParallelism());
        SingleOutputStreamOperator<Result> split = called
                .process(new SplitRemoteResults(options.scoring().modelAgeLimit(), options.models().reportInterval()))
                .uid("split-remote-results")
                .name("Sort remote results")
                .setParallelism(calls.getParallelism());
        return split;
    }
}
