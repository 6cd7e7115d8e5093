package io.modelcast.job.sinks;

import io.modelcast.job.score.ModelAgeLimit;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.Result;

import org.apache.flink.api.common.functions.MapFunction;

import java.nio.charset.StandardCharsets;

/**
 * A Kafka input whose result was held back because its model was too old, as a dead letter: its
 * original bytes, to be fed again once a fresh model is published.
 */
public final class StaleAsDeadLetter implements MapFunction<Result, DeadLetter> {

    private final ModelAgeLimit maxModelAge;

    public StaleAsDeadLetter(ModelAgeLimit maxModelAge) {
        this.maxModelAge = maxModelAge;
    }

    @Override
    public DeadLetter map(Result stale) {
        return new DeadLetter(stale.input().getBytes(StandardCharsets.UTF_8),
                "stale model: version " + stale.modelVersion() + " was " + stale.modelAgeMs() + " ms old, over --max-model-age ("
                        + maxModelAge.max().orElseThrow().toMillis() + " ms)",
                stale.origin());
    }
}
