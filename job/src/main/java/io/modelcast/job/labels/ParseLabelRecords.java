package io.modelcast.job.labels;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.KafkaInput;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Kafka labels: each record becomes a {@link Label}; a bad one goes to {@link Descriptors#DEAD_LETTERS} with its bytes and the reason. */
public final class ParseLabelRecords extends ProcessFunction<KafkaInput, Label> {

    @Override
    public void processElement(KafkaInput record, Context ctx, Collector<Label> out) {
        try {
            out.collect(LabelParser.kafka(record.origin == null ? null : record.origin.key, record.value, record.origin));
        } catch (LabelParser.BadLabel e) {
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(record.value, "bad label: " + e.getMessage(), record.origin));
        }
    }
}
