package io.modelcast.job.remote;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.ScoredRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sorts what {@link CallRemoteModel} returns: results to the main output, results of a model older
 * than {@code --max-model-age} to {@link Descriptors#STALE}, and inputs no model could score to
 * {@link Descriptors#BAD_RECORDS} with the reason — the same outputs a local model's results take.
 */
public final class SplitRemoteResults extends ProcessFunction<ScoredRecord, ScoredRecord> {

    private final long maxModelAgeMillis;

    /** @param maxModelAgeMillis results of an older model go to the stale output; 0 for no limit */
    public SplitRemoteResults(long maxModelAgeMillis) {
        this.maxModelAgeMillis = maxModelAgeMillis;
    }

    @Override
    public void processElement(ScoredRecord record, Context ctx, Collector<ScoredRecord> out) {
        if (record.remote != null) {
            ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(record.input, record.remote.failure, record.origin));
        } else if (maxModelAgeMillis > 0 && record.modelAgeMs > maxModelAgeMillis) {
            ctx.output(Descriptors.STALE, record);
        } else {
            out.collect(record);
        }
    }
}
