package io.modelcast.job.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteCallInFlight;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.RemoteRequest.RemoteInput;
import io.modelcast.job.records.Result;
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
 * rejected with the reason ({@link Either#Left}, for {@link SplitRemoteResults}). Nothing here
 * throws on a failed call, so a down server never restarts the job; requests in flight at a
 * checkpoint are in the checkpoint, and made again after a restore.
 *
 * <p>Metrics: counters {@code remoteCalls}, {@code remoteRetries} (attempts beyond the first),
 * {@code remoteFailures} (inputs no model could score after a failed call), {@code remoteFallbacks}
 * (inputs the fallback model scored).
 */
public final class CallRemoteModel extends RichAsyncFunction<RemoteCallInFlight, Either<RejectedRecord, Result>> {

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
    public void asyncInvoke(RemoteCallInFlight inFlight, ResultFuture<Either<RejectedRecord, Result>> result) {
        RemoteRequest request = inFlight.request();
        RemoteModel pointer;
        try {
            pointer = pointer(request);
        } catch (Exception e) {
            // The loader decoded this pointer with the same code; this is the last line of defence.
            result.complete(finish(request, null, new Failed("cannot read the pointer of model version "
                    + request.modelVersion() + ": " + e, 0)));
            return;
        }
        calls.inc();
        if (client == null) {
            // Made on the first call: a job that never scores remotely starts no HTTP client threads.
            client = new RemotePredictClient();
        }
        try {
            client.predict(pointer, request.instances(), request.inputs().size()).whenComplete((answer, error) ->
                    complete(result, request, pointer, error == null ? answer : new Failed("the call failed: " + error, 1)));
        } catch (RuntimeException e) {
            complete(result, request, pointer, new Failed("the call failed: " + e, 0));
        }
    }

    /** Completes {@code result}; should turning the answer into results fail, each input fails with the reason. */
    private void complete(ResultFuture<Either<RejectedRecord, Result>> result, RemoteRequest request, RemoteModel pointer,
            Answer answer) {
        List<Either<RejectedRecord, Result>> outcomes;
        try {
            outcomes = finish(request, pointer, answer);
        } catch (RuntimeException e) {
            outcomes = finish(request, null, new Failed("cannot read the answer: " + e, answer.attempts()));
        }
        result.complete(outcomes);
    }

    @Override
    public void timeout(RemoteCallInFlight inFlight, ResultFuture<Either<RejectedRecord, Result>> result) {
        result.complete(finish(inFlight.request(), null, new Failed("no result within " + OPERATOR_TIMEOUT.toMinutes()
                + " min (the async operator's timeout)", 0)));
    }

    /** What became of each input of a request, in order. Thread-safe. */
    List<Either<RejectedRecord, Result>> finish(RemoteRequest request, RemoteModel pointer, Answer answer) {
        if (answer.attempts() > 1) {
            retries.inc(answer.attempts() - 1);
        }
        List<Either<RejectedRecord, Result>> outcomes = new ArrayList<>(request.inputs().size());
        for (int i = 0; i < request.inputs().size(); i++) {
            outcomes.add(finish(request, i, pointer, answer));
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

    /** What became of input {@code index}: its result, its fallback model's result, or its rejection. Thread-safe. */
    private Either<RejectedRecord, Result> finish(RemoteRequest request, int index, RemoteModel pointer, Answer answer) {
        RemoteInput input = request.inputs().get(index);
        String reason;
        if (answer instanceof Predictions predictions) {
            try {
                JsonNode prediction = predictions.predictions().get(index);
                return Either.Right(request.kind() == RemoteRequest.Kind.FEATURES
                        ? predictionResult(request, input, RemoteModel.score(prediction), pointer)
                        : result(request, input, request.modelVersion(), RemoteModel.text(prediction), OptionalDouble.empty()));
            } catch (IllegalArgumentException e) {
                reason = "malformed answer from " + pointer.predictUri() + ": prediction " + index + ": " + e.getMessage();
            }
        } else {
            reason = ((Failed) answer).reason();
        }
        reason = "remote model version " + request.modelVersion() + ": " + reason;
        if (request.fallback().isEmpty()) {
            failures.inc();
            return Either.Left(new RejectedRecord(input.text(), reason, input.origin()));
        }
        long fallbackVersion = request.fallback().get().version();
        LocalOutcome outcome = request.fallback().get().outcomes().get(index);
        if (outcome instanceof LocalOutcome.Output output) {
            fallbacks.inc();
            return Either.Right(result(request, input, fallbackVersion, output.output(), output.score())
                    .asFallbackFrom(request.modelVersion(), reason));
        }
        failures.inc();
        return Either.Left(new RejectedRecord(input.text(),
                reason + "; no fallback either: " + ((LocalOutcome.Failure) outcome).reason(), input.origin()));
    }

    private static Result predictionResult(RemoteRequest request, RemoteInput input, double score, RemoteModel pointer) {
        return result(request, input, request.modelVersion(), Integer.toString(pointer.label(score)), OptionalDouble.of(score));
    }

    private static Result result(RemoteRequest request, RemoteInput input, long version, String output, OptionalDouble score) {
        return new Result(input.text(), input.id(), output, score, version, request.modelAgeMs(), request.subtask(),
                input.origin(), Optional.empty(), request.model(), Result.Role.ONLY);
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        super.close();
    }
}
