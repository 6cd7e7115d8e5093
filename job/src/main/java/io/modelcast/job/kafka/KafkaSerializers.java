package io.modelcast.job.kafka;

import io.modelcast.job.functions.FormatScoredRecord;
import io.modelcast.job.functions.JsonLine;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.ScoredRecord;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** How the job's records become Kafka records: every output keeps its input's key. */
public final class KafkaSerializers {

    /** Header names of a dead letter: why, and where the record was read. */
    public static final String REASON_HEADER = "modelcast.reason";
    public static final String SOURCE_TOPIC_HEADER = "modelcast.source.topic";
    public static final String SOURCE_PARTITION_HEADER = "modelcast.source.partition";
    public static final String SOURCE_OFFSET_HEADER = "modelcast.source.offset";
    public static final String SOURCE_TIMESTAMP_HEADER = "modelcast.source.timestamp";

    private KafkaSerializers() {}

    /**
     * Results: the input's key and timestamp (as Kafka Streams does, so a result is dated by the
     * event it scores), the {@linkplain FormatScoredRecord#json JSON} of the result as value.
     */
    public static KafkaRecordSerializationSchema<ScoredRecord> results(String topic) {
        return (record, context, timestamp) -> new ProducerRecord<>(topic, null, record.origin.timestamp,
                record.origin.key, utf8(FormatScoredRecord.json(record)));
    }

    /** Preprocessed records: the input's key; {@code {"input","value","topic","partition","offset"}}. */
    public static KafkaRecordSerializationSchema<InputRecord> preprocessed(String topic) {
        return (record, context, timestamp) -> new ProducerRecord<>(topic, record.origin.key, utf8(new JsonLine()
                .field("input", record.text)
                .field("value", record.value)
                .field("topic", record.origin.topic)
                .field("partition", record.origin.partition)
                .field("offset", record.origin.offset)
                .toString()));
    }

    /**
     * Dead letters: the input's key and value, byte for byte, and headers with the reason and the
     * input's topic, partition, offset and timestamp.
     */
    public static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return (letter, context, timestamp) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, utf8(letter.reason));
            headers.add(SOURCE_TOPIC_HEADER, utf8(letter.origin.topic));
            headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(letter.origin.partition)));
            headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(letter.origin.offset)));
            headers.add(SOURCE_TIMESTAMP_HEADER, utf8(Long.toString(letter.origin.timestamp)));
            return new ProducerRecord<>(topic, null, null, letter.origin.key, letter.value, headers);
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
