package io.modelcast.job.sinks;

import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.nio.charset.StandardCharsets;

/**
 * A Kafka input rejected after it was parsed (no model yet, or the model failed on it) as a dead
 * letter: its text is the record's value as read, which was valid UTF-8, so the bytes are the
 * original ones.
 */
public final class ToDeadLetter implements MapFunction<RejectedRecord, DeadLetter> {

    @Override
    public DeadLetter map(RejectedRecord rejected) {
        return new DeadLetter(rejected.input.getBytes(StandardCharsets.UTF_8), rejected.reason, rejected.origin);
    }
}
