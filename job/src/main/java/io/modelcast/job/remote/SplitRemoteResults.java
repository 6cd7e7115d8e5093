package io.modelcast.job.remote;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.score.ModelAgeLimit;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Sorts what {@link CallRemoteModel} returns: results to the main output, results of a model older
 * than {@code --max-model-age} to {@link Descriptors#STALE}, and inputs no model could score to
 * {@link Descriptors#BAD_RECORDS} with the reason — the same outputs a local model's results take.
 */
public final class SplitRemoteResults extends ProcessFunction<Either<RejectedRecord, Result>, Result> {

    private final ModelAgeLimit maxModelAge;

    /** @param maxModelAge results of an older model go to the stale output */
    public SplitRemoteResults(ModelAgeLimit maxModelAge) {
        this.maxModelAge = maxModelAge;
    }

    @Override
    public void processElement(Either<RejectedRecord, Result> outcome, Context ctx, Collector<Result> out) {
        if (outcome.isLeft()) {
            ctx.output(Descriptors.BAD_RECORDS, outcome.left());
        } else if (maxModelAge.exceededBy(outcome.right().modelAgeMs())) {
            ctx.output(Descriptors.STALE, outcome.right());
        } else {
            out.collect(outcome.right());
        }
    }
}
