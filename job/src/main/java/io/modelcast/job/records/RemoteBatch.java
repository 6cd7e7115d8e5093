package io.modelcast.job.records;

import io.modelcast.model.ModelName;

import io.modelcast.job.records.RemoteRequest.Fallback;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.RemoteRequest.RemoteInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Legacy: a remote call in flight as builds up to e84b367 checkpointed it — records awaiting their
 * output, each with its {@link RemoteCall}. Kept, field for field, only so Flink's POJO serializer
 * can read such a savepoint; the async step turns it into the {@link RemoteRequest} it stands for
 * and makes the call again. See {@link RemoteRequestSerializer}.
 */
public final class RemoteBatch implements RemoteCallInFlight {

    public ScoredRecord[] records;

    public RemoteBatch() {}

    /** The request these records stand for: the pointer and fallback of the first (the same for all). */
    @Override
    public RemoteRequest request() {
        RemoteCall call = records[0].remote;
        List<RemoteInput> inputs = new ArrayList<>(records.length);
        List<LocalOutcome> outcomes = new ArrayList<>(records.length);
        for (ScoredRecord record : records) {
            inputs.add(new RemoteInput(record.input, record.id, record.origin, record.remote.instance));
            outcomes.add(record.remote.fallbackError != null
                    ? new LocalOutcome.Failure(record.remote.fallbackError)
                    : new LocalOutcome.Output(record.remote.fallbackOutput, Double.isNaN(record.remote.fallbackScore)
                            ? OptionalDouble.empty() : OptionalDouble.of(record.remote.fallbackScore)));
        }
        // The builds that wrote this sent feature vectors as arrays of one array, integers as arrays of one number.
        RemoteRequest.Kind kind = call.instance.startsWith("[[") ? RemoteRequest.Kind.FEATURES : RemoteRequest.Kind.INTEGERS;
        Optional<Fallback> fallback = call.fallbackVersion == 0
                ? Optional.empty() : Optional.of(new Fallback(call.fallbackVersion, records[0].modelAgeMs, outcomes));
        return new RemoteRequest(ModelName.DEFAULT, call.pointerVersion, call.pointer, kind, records[0].modelAgeMs, records[0].subtask,
                inputs, fallback, RemoteRequest.Purpose.SERVE);
    }
}
