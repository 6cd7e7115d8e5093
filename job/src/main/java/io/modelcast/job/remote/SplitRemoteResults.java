package io.modelcast.job.remote;

import io.modelcast.job.score.ModelAgeLimit;
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

    private final ModelAgeLimit maxModelAge;

    /** @param maxModelAge results of an older model go to the stale output */
    public SplitRemoteResults(ModelAgeLimit maxModelAge) {
        this.maxModelAge = maxModelAge;
    }

    @Override
    public void processElement(ScoredRecord record, Context ctx, Collector<ScoredRecord> out) {
        if (record.remote != null) {
            ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(record.input, record.remote.failure, record.origin));
        } else if (maxModelAge.exceededBy(record.modelAgeMs)) {
            ctx.output(Descriptors.STALE, record);
        } else {
            out.collect(record);
        }
    }
}
