package io.modelcast.job.parse;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.kafka.RawRecordDeserializer;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.model.ModelName;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;


/**
 * The preprocessing step of the Kafka path: checks a record's key (at most {@link #MAX_KEY_BYTES})
 * and its value — present, then the rules every input follows ({@link InputParser}, the same as on
 * the socket path) — and the model its {@value RawRecordDeserializer#MODEL_HEADER} header names, which
 * wins over a JSON value's {@code model} field. Records that fail go to {@link Descriptors#DEAD_LETTERS} with their original
 * bytes, the reason and their offset; nothing is dropped and nothing fails the job.
 */
public final class ParseKafkaRecord extends ProcessFunction<KafkaInput, InputRecord> {

    private final InputFormat format;

    private transient Counter recordsRejected;
    private transient InputParser parser;

    /** Integer inputs. */
    public ParseKafkaRecord(InputFormat format) {
        this.format = format;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new InputParser(format);
        recordsRejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
    }

    /**
     * Longer keys are refused: results and dead letters carry the key, and a record over the
     * broker's size limit would fail the sink, and with it the job, on every replay.
     */
    public static final int MAX_KEY_BYTES = 16 * 1024;

    @Override
    public void processElement(KafkaInput record, Context ctx, Collector<InputRecord> out) {
        if (record.origin.key != null && record.origin.key.length > MAX_KEY_BYTES) {
            reject(ctx, new KafkaInput(record.value, withoutKey(record.origin)),
                    "key longer than " + MAX_KEY_BYTES + " bytes (dropped from this dead letter)");
            return;
        }
        byte[] value = record.value;
        if (value == null) {
            reject(ctx, record, "empty");
            return;
        }
        if (!parser.accept(value, 0, value.length)) {
            reject(ctx, record, parser.reason());
            return;
        }
        String model = parser.model();
        if (record.model != null) {
            String header = new String(record.model, StandardCharsets.UTF_8);
            if (!ModelName.isValid(header)) {
                reject(ctx, record, "header " + RawRecordDeserializer.MODEL_HEADER + ": "
                        + ModelName.describeInvalid(InputParser.shown(record.model, 0, record.model.length, 64)));
                return;
            }
            model = header;
        }
        InputRecord input = format.hasFeatures()
                ? InputRecord.features(parser.text(), parser.features(), parser.id(), record.origin)
                : new InputRecord(parser.text(), parser.value(), record.origin);
        out.collect(input.forModel(model));
    }

    private static RecordOrigin withoutKey(RecordOrigin origin) {
        return new RecordOrigin(origin.topic, origin.partition, origin.offset, origin.timestamp, null);
    }

    private void reject(Context ctx, KafkaInput record, String reason) {
        recordsRejected.inc();
        ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(record.value, reason, record.origin));
    }
}
