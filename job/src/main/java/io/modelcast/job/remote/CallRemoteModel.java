package io.modelcast.job.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteCallInFlight;
import io.modelcast.job.records.RemoteOutcome;
import io.modelcast.job.records.RemoteOutcome.Challenged;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.RemoteRequest.Fallback;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.RemoteRequest.RemoteInput;
import io.modelcast.job.records.Result;
import io.modelcast.job.score.ShadowLine;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemoteModelType;
import io.modelcast.model.remote.RemotePredictClient;
import io.modelcast.model.remote.RemotePredictClient.Answer;
import io.modelcast.model.remote.RemotePredictClient.Failed;
import io.modelcast.model.remote.RemotePredictClient.Predictions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Makes the {@link RemoteRequest}s the scoring operator sends out, in Flink's async I/O. Each
 * request names the pointer in force when its inputs arrived, so each result names the version that
 * produced it, even while versions switch.
 *
 * <p>One HTTP request per {@link RemoteRequest} (its inputs as the {@code instances}), with the
 * pointer's timeout and retries ({@link RemotePredictClient}); the async operator's capacity bounds
 * the requests in flight. Each prediction becomes its input's {@link Result} (a prediction of the
 * wrong form rejects that input alone). When the call fails, each input gets its fallback model's
 * result — that model's version, with {@link Result#fallbackFrom} saying which remote version
 * failed and why — if the pointer has a fallback that could score it; otherwise the input is
 * rejected with the reason. Nothing here throws on a failed call, so a down server never restarts
 * the job; requests in flight at a checkpoint are in the checkpoint, and made again after a restore.
 *
 * <p>A challenger's request ({@link RemoteRequest.Purpose}) carries the champion's outcomes: a canary's
 * answer is its result (role canary), a failed canary call gets the champion's result instead; a
 * shadow's answer becomes a shadow line beside the champion's outcome ({@link ShadowLine}), and no
 * result. Either way the outcome says what the challenger made of the input, for the rollout's
 * figures, which {@link SplitRemoteResults} keeps.
 *
 * <p>Metrics: counters {@code remoteCalls}, {@code remoteRetries} (attempts beyond the first),
 * {@code remoteFailures} (inputs no model could score after a failed call), {@code remoteFallbacks}
 * (inputs the fallback model, or a failed canary's champion, scored). A shadow's failed calls count
 * in its rollout's figures only.
 */
public final class CallRemoteModel extends RichAsyncFunction<RemoteCallInFlight, RemoteOutcome> {

    /**
     * The async operator's own timeout, a backstop above any call the client can make (11 attempts of
     * 60 s plus backoff): the client ends every call first.
     */
    public static final Duration OPERATOR_TIMEOUT = Duration.ofMinutes(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private transient RemotePredictClient client;
    /** The pointer most recently parsed: requests of one version come in runs. */
    private transient ParsedPointer lastPointer;
    private transient Counter calls;
    private transient Counter retries;
    private transient Counter failures;
    private transient Counter fallbacks;

    private record ParsedPointer(long version, String json, RemoteModel model) {}

    @Override
    public void open(OpenContext openContext) {
        // Calls complete on the client's threads: the counters must take increments from several.
        calls = getRuntimeContext().getMetricGroup().counter("remoteCalls", new ThreadSafeSimpleCounter());
        retries = getRuntimeContext().getMetricGroup().counter("remoteRetries", new ThreadSafeSimpleCounter());
        failures = getRuntimeContext().getMetricGroup().counter("remoteFailures", new ThreadSafeSimpleCounter());
        fallbacks = getRuntimeContext().getMetricGroup().counter("remoteFallbacks", new ThreadSafeSimpleCounter());
    }

    @Override
    public void asyncInvoke(RemoteCallInFlight inFlight, ResultFuture<RemoteOutcome> result) {
        RemoteRequest request = inFlight.request();
        RemoteModel pointer;
        try {
            pointer = pointer(request);
        } catch (Exception e) {
            // The loader decoded this pointer with the same code; this is the last line of defence.
            result.complete(finish(request, null, new Failed("cannot read the pointer of model version "
                    + request.modelVersion() + ": " + e, 0), 0));
            return;
        }
        calls.inc();
        if (client == null) {
            // Made on the first call: a job that never scores remotely starts no HTTP client threads.
            client = new RemotePredictClient();
        }
        long start = System.nanoTime();
        try {
            client.predict(pointer, request.instances(), request.inputs().size()).whenComplete((answer, error) ->
                    complete(result, request, pointer, error == null ? answer : new Failed("the call failed: " + error, 1),
                            start));
        } catch (RuntimeException e) {
            complete(result, request, pointer, new Failed("the call failed: " + e, 0), start);
        }
    }

    /** Completes {@code result}; should turning the answer into results fail, each input fails with the reason. */
    private void complete(ResultFuture<RemoteOutcome> result, RemoteRequest request, RemoteModel pointer,
            Answer answer, long startNanos) {
        long nanosPerInput = (System.nanoTime() - startNanos) / request.inputs().size();
        List<RemoteOutcome> outcomes;
        try {
            outcomes = finish(request, pointer, answer, nanosPerInput);
        } catch (RuntimeException e) {
            // The retries were counted by the first try; the outcomes' own counters too, for the inputs it got through.
            outcomes = finish(request, null, new Failed("cannot read the answer: " + e, 1), nanosPerInput);
        }
        result.complete(outcomes);
    }

    @Override
    public void timeout(RemoteCallInFlight inFlight, ResultFuture<RemoteOutcome> result) {
        result.complete(finish(inFlight.request(), null, new Failed("no result within " + OPERATOR_TIMEOUT.toMinutes()
                + " min (the async operator's timeout)", 0), OPERATOR_TIMEOUT.toNanos() / inFlight.request().inputs().size()));
    }

    /** What became of each input of a request, in order. Thread-safe. */
    List<RemoteOutcome> finish(RemoteRequest request, RemoteModel pointer, Answer answer, long nanosPerInput) {
        if (answer.attempts() > 1) {
            retries.inc(answer.attempts() - 1);
        }
        List<RemoteOutcome> outcomes = new ArrayList<>(request.inputs().size());
        for (int i = 0; i < request.inputs().size(); i++) {
            Either<String, Result> answered = answered(request, i, pointer, answer);
            outcomes.add(switch (request.purpose()) {
                case SERVE -> served(request, i, answered);
                case CANARY -> canary(request, i, answered, nanosPerInput);
                case SHADOW -> shadow(request, i, answered, nanosPerInput);
            });
        }
        return outcomes;
    }

    private RemoteModel pointer(RemoteRequest request) throws Exception {
        ParsedPointer last = lastPointer;
        if (last == null || last.version() != request.modelVersion() || !last.json().equals(request.pointer())) {
            JsonNode parameters = JSON.readTree(request.pointer());
            last = new ParsedPointer(request.modelVersion(), request.pointer(), new RemoteModelType().fromParameters(parameters));
            lastPointer = last;
        }
        return last.model();
    }

    /** The remote model's result for input {@code index}, or why there is none. Thread-safe. */
    private static Either<String, Result> answered(RemoteRequest request, int index, RemoteModel pointer, Answer answer) {
        RemoteInput input = request.inputs().get(index);
        String reason;
        if (answer instanceof Predictions predictions) {
            try {
                JsonNode prediction = predictions.predictions().get(index);
                Result.Role role = request.purpose() == RemoteRequest.Purpose.SERVE ? Result.Role.ONLY : Result.Role.CANARY;
                return Either.Right(request.kind() == RemoteRequest.Kind.FEATURES
                        ? predictionResult(request, input, RemoteModel.score(prediction), pointer, role)
                        : result(request, input, request.modelVersion(), request.modelAgeMs(), RemoteModel.text(prediction),
                                OptionalDouble.empty(), role));
            } catch (IllegalArgumentException e) {
                reason = "malformed answer from " + pointer.predictUri() + ": prediction " + index + ": " + e.getMessage();
            }
        } else {
            reason = ((Failed) answer).reason();
        }
        return Either.Left("remote model version " + request.modelVersion() + ": " + reason);
    }

    /** A serving pointer's input: its result, its fallback model's result, or its rejection. Thread-safe. */
    private RemoteOutcome served(RemoteRequest request, int index, Either<String, Result> answered) {
        if (answered.isRight()) {
            return new RemoteOutcome.Scored(answered.right(), Optional.empty());
        }
        RemoteInput input = request.inputs().get(index);
        String reason = answered.left();
        if (request.fallback().isEmpty()) {
            failures.inc();
            return new RemoteOutcome.Rejected(new RejectedRecord(input.text(), reason, input.origin()), Optional.empty());
        }
        Fallback fallback = request.fallback().get();
        LocalOutcome outcome = fallback.outcomes().get(index);
        if (outcome instanceof LocalOutcome.Output output) {
            fallbacks.inc();
            return new RemoteOutcome.Scored(result(request, input, fallback.version(), fallback.ageMs(), output.output(),
                    output.score(), Result.Role.ONLY).asFallbackFrom(request.modelVersion(), reason), Optional.empty());
        }
        failures.inc();
        return new RemoteOutcome.Rejected(new RejectedRecord(input.text(),
                reason + "; no fallback either: " + ((LocalOutcome.Failure) outcome).reason(), input.origin()), Optional.empty());
    }

    /** A canary's input: its result, or, when its call failed, the champion's (the canary costs no result). Thread-safe. */
    private RemoteOutcome canary(RemoteRequest request, int index, Either<String, Result> answered, long nanosPerInput) {
        Optional<Challenged> challenged = Optional.of(challenged(request, answered, nanosPerInput));
        if (answered.isRight()) {
            return new RemoteOutcome.Scored(answered.right(), challenged);
        }
        RemoteInput input = request.inputs().get(index);
        Fallback champion = request.fallback().get();
        LocalOutcome outcome = champion.outcomes().get(index);
        if (outcome instanceof LocalOutcome.Output output) {
            fallbacks.inc();
            return new RemoteOutcome.Scored(result(request, input, champion.version(), champion.ageMs(), output.output(),
                    output.score(), Result.Role.CHAMPION), challenged);
        }
        failures.inc();
        return new RemoteOutcome.Rejected(new RejectedRecord(input.text(), "canary " + answered.left() + "; champion version "
                + champion.version() + " could not score it either: " + ((LocalOutcome.Failure) outcome).reason(),
                input.origin()), challenged);
    }

    /** A shadow's input: both sides' outcomes as a shadow line (the champion's result went on from the scorer). Thread-safe. */
    private static RemoteOutcome shadow(RemoteRequest request, int index, Either<String, Result> answered, long nanosPerInput) {
        RemoteInput input = request.inputs().get(index);
        Fallback champion = request.fallback().get();
        LocalOutcome championOutcome = champion.outcomes().get(index);
        String line = ShadowLine.ofRemote(request.model(), input.id(), input.text(), input.origin(), request.subtask(),
                champion.version(), championOutcome, request.modelVersion(), answered);
        return new RemoteOutcome.Shadowed(line, challenged(request, answered, nanosPerInput),
                ShadowLine.agree(championOutcome, answered));
    }

    private static Challenged challenged(RemoteRequest request, Either<String, Result> answered, long nanosPerInput) {
        return new Challenged(request.model(), request.fallback().get().version(), request.modelVersion(), answered.isLeft(),
                answered.isRight() ? answered.right().score() : OptionalDouble.empty(), nanosPerInput);
    }

    private static Result predictionResult(RemoteRequest request, RemoteInput input, double score, RemoteModel pointer,
            Result.Role role) {
        return result(request, input, request.modelVersion(), request.modelAgeMs(), Integer.toString(pointer.label(score)),
                OptionalDouble.of(score), role);
    }

    private static Result result(RemoteRequest request, RemoteInput input, long version, long ageMs, String output,
            OptionalDouble score, Result.Role role) {
        return new Result(input.text(), input.id(), output, score, version, ageMs, request.subtask(),
                input.origin(), Optional.empty(), request.model(), role, null);
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        super.close();
    }
}
