package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.functions.InputRules.InvalidInputException;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The preprocessing step of the Kafka path: checks a record's key (at most {@link #MAX_KEY_BYTES})
 * and its value (present, at most {@link InputFormat#maxInputBytes} bytes, valid UTF-8), and
 * then the {@link InputRules} (integers) or {@link FeatureRules} (csv, json). Records that
 * fail go to {@link Descriptors#DEAD_LETTERS} with their original bytes, the reason and their
 * offset; nothing is dropped and nothing fails the job.
 */
public final class ParseKafkaRecord extends ProcessFunction<KafkaInput, InputRecord> {

    private final InputFormat format;

    private transient CharsetDecoder utf8;
    private transient Counter recordsRejected;
    private transient FeatureRules featureRules;

    /** Integer inputs. */
    public ParseKafkaRecord() {
        this(InputFormat.INT);
    }

    public ParseKafkaRecord(InputFormat format) {
        this.format = format;
    }

    @Override
    public void open(OpenContext openContext) {
        featureRules = new FeatureRules();
        utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
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
        if (value == null || value.length == 0) {
            reject(ctx, record, "empty");
            return;
        }
        if (value.length > format.maxInputBytes()) {
            reject(ctx, record, "longer than " + format.maxInputBytes() + " bytes");
            return;
        }
        String text;
        try {
            text = utf8.reset().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            reject(ctx, record, "not valid UTF-8");
            return;
        }
        try {
            if (format.hasFeatures()) {
                featureRules.parse(text, format);
                out.collect(InputRecord.features(text, featureRules.features(), featureRules.id(), record.origin));
            } else {
                out.collect(new InputRecord(text, InputRules.parse(text), record.origin));
            }
        } catch (InvalidInputException e) {
            reject(ctx, record, e.getMessage());
        }
    }

    private static RecordOrigin withoutKey(RecordOrigin origin) {
        return new RecordOrigin(origin.topic, origin.partition, origin.offset, origin.timestamp, null);
    }

    private void reject(Context ctx, KafkaInput record, String reason) {
        recordsRejected.inc();
        ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(record.value, reason, record.origin));
    }
}
