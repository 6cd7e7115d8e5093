package io.modelcast.job.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.job.records.RemoteCall;
import io.modelcast.job.records.ScoredRecord;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemoteModelType;
import io.modelcast.model.remote.RemotePredictClient;
import io.modelcast.model.remote.RemotePredictClient.Answer;
import io.modelcast.model.remote.RemotePredictClient.Failed;
import io.modelcast.model.remote.RemotePredictClient.Predictions;
import java.time.Duration;
import io.modelcast.job.records.RemoteBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Scores inputs with the remote model attached to them ({@link ScoredRecord#remote}), in Flink's
 * async I/O: the scoring operator has attached the pointer in force when the input arrived, so each
 * result names the version that produced it, even while versions switch.
 *
 * <p>One request per {@link RemoteBatch} (up to {@code --batch-size} inputs as its instances), with
 * the pointer's timeout and retries ({@link RemotePredictClient}); the async operator's capacity
 * bounds the requests in flight. Each prediction becomes its input's result (a prediction of the
 * wrong form rejects that input alone); a failed call becomes the fallback model's result (its version, with
 * {@link ScoredRecord#fallbackFrom} and the reason) if the pointer has one, else the record leaves
 * with {@link RemoteCall#failure} set, for {@link SplitRemoteResults} to reject. Results are new
 * objects: the inputs stay in the operator's checkpointed queue, unchanged, until their results leave. Nothing here throws
 * on a failed call, so a down server never restarts the job; inputs in flight at a checkpoint are in
 * the checkpoint, and called again after a restore.
 *
 * <p>Metrics: counters {@code remoteCalls}, {@code remoteRetries} (attempts beyond the first),
 * {@code remoteFailures} (calls that failed in the end), {@code remoteFallbacks}.
 */
public final class CallRemoteModel extends RichAsyncFunction<RemoteBatch, ScoredRecord> {

    /**
     * The async operator's own timeout, a backstop above any call the client can make (11 attempts of
     * 60 s plus backoff): the client ends every call first.
     */
    public static final Duration OPERATOR_TIMEOUT = Duration.ofMinutes(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private transient RemotePredictClient client;
    /** The pointer most recently parsed, and its version: inputs of one version come in runs. */
    private transient RemoteModel lastPointer;
    private transient long lastPointerVersion;
    private transient String lastPointerJson;
    private transient Counter calls;
    private transient Counter retries;
    private transient Counter failures;
    private transient Counter fallbacks;

    @Override
    public void open(OpenContext openContext) {
        // Calls complete on the client's threads: the counters must take increments from several.
        calls = getRuntimeContext().getMetricGroup().counter("remoteCalls", new ThreadSafeSimpleCounter());
        retries = getRuntimeContext().getMetricGroup().counter("remoteRetries", new ThreadSafeSimpleCounter());
        failures = getRuntimeContext().getMetricGroup().counter("remoteFailures", new ThreadSafeSimpleCounter());
        fallbacks = getRuntimeContext().getMetricGroup().counter("remoteFallbacks", new ThreadSafeSimpleCounter());
    }

    @Override
    public void asyncInvoke(RemoteBatch batch, ResultFuture<ScoredRecord> result) {
        RemoteModel pointer;
        try {
            pointer = pointer(batch.records[0].remote);
        } catch (Exception e) {
            // The loader decoded this pointer with the same code; this is the last line of defence.
            result.complete(finish(batch, null, new Failed("cannot read the pointer of model version "
                    + batch.records[0].remote.pointerVersion + ": " + e, 0)));
            return;
        }
        calls.inc();
        if (client == null) {
            // Made on the first call: a job that never scores remotely starts no HTTP client threads.
            client = new RemotePredictClient();
        }
        try {
            client.predict(pointer, batch.instances(), batch.records.length).whenComplete((answer, error) ->
                    complete(result, batch, pointer, error == null ? answer : new Failed("the call failed: " + error, 1)));
        } catch (RuntimeException e) {
            complete(result, batch, pointer, new Failed("the call failed: " + e, 0));
        }
    }

    /** Completes {@code result}; should turning the answer into results fail, each record fails with the reason. */
    private void complete(ResultFuture<ScoredRecord> result, RemoteBatch batch, RemoteModel pointer, Answer answer) {
        List<ScoredRecord> results;
        try {
            results = finish(batch, pointer, answer);
        } catch (RuntimeException e) {
            results = finish(batch, null, new Failed("cannot read the answer: " + e, answer.attempts()));
        }
        result.complete(results);
    }

    @Override
    public void timeout(RemoteBatch batch, ResultFuture<ScoredRecord> result) {
        result.complete(finish(batch, null, new Failed("no result within " + OPERATOR_TIMEOUT.toMinutes()
                + " min (the async operator's timeout)", 0)));
    }

    /** The results of a request: one per record, in order. Thread-safe. */
    List<ScoredRecord> finish(RemoteBatch batch, RemoteModel pointer, Answer answer) {
        if (answer.attempts() > 1) {
            retries.inc(answer.attempts() - 1);
        }
        List<ScoredRecord> results = new ArrayList<>(batch.records.length);
        for (int i = 0; i < batch.records.length; i++) {
            results.add(finish(batch.records[i], pointer, answer, i));
        }
        return results;
    }

    private RemoteModel pointer(RemoteCall call) throws Exception {
        if (lastPointer == null || lastPointerVersion != call.pointerVersion || !lastPointerJson.equals(call.pointer)) {
            JsonNode parameters = JSON.readTree(call.pointer);
            lastPointer = new RemoteModelType().fromParameters(parameters);
            lastPointerVersion = call.pointerVersion;
            lastPointerJson = call.pointer;
        }
        return lastPointer;
    }

    /**
     * A copy of the input with its answer applied: a result, a fallback result, or a failure.
     * Thread-safe. The input itself must stay as it is: until its result is emitted it is in the
     * async operator's queue, and a checkpoint writes it from there, to be called again after a restore.
     */
    private ScoredRecord finish(ScoredRecord input, RemoteModel pointer, Answer answer, int index) {
        ScoredRecord record = input.copy();
        RemoteCall call = record.remote;
        String reason;
        if (answer instanceof Predictions predictions) {
            try {
                JsonNode prediction = predictions.predictions().get(index);
                if (call.instance.startsWith("[[")) {
                    record.score = RemoteModel.score(prediction);
                    record.output = Integer.toString(pointer.label(record.score));
                } else {
                    record.output = RemoteModel.text(prediction);
                }
                record.remote = null;
                return record;
            } catch (IllegalArgumentException e) {
                reason = "malformed answer from " + pointer.predictUri() + ": prediction " + index + ": " + e.getMessage();
            }
        } else {
            reason = ((Failed) answer).reason();
        }
        reason = "remote model version " + call.pointerVersion + ": " + reason;
        if (call.fallbackVersion != 0 && call.fallbackError == null) {
            fallbacks.inc();
            record.output = call.fallbackOutput;
            record.score = call.fallbackScore;
            record.fallbackFrom = call.pointerVersion;
            record.fallbackReason = reason;
            record.modelVersion = call.fallbackVersion;
            record.remote = null;
            return record;
        }
        failures.inc();
        call.failure = call.fallbackError == null ? reason : reason + "; no fallback either: " + call.fallbackError;
        return record;
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        super.close();
    }
}
