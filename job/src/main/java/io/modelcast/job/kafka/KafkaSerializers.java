package io.modelcast.job.kafka;

import io.modelcast.job.sinks.FormatRejections;
import io.modelcast.job.sinks.FormatResult;
import io.modelcast.job.sinks.JsonLine;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.Result;

import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How the job's records become Kafka records: every output keeps its input's key. */
public final class KafkaSerializers {

    /** Header names of a dead letter: why, and where the record was read. */
    public static final String REASON_HEADER = "modelcast.reason";
    public static final String SOURCE_TOPIC_HEADER = "modelcast.source.topic";
    public static final String SOURCE_PARTITION_HEADER = "modelcast.source.partition";
    public static final String SOURCE_OFFSET_HEADER = "modelcast.source.offset";
    public static final String SOURCE_TIMESTAMP_HEADER = "modelcast.source.timestamp";
    /** Present only on a dead letter whose value was cut: the original value's length. */
    public static final String ORIGINAL_LENGTH_HEADER = "modelcast.original.length";

    /** The most of an input's value a dead letter keeps. */
    public static final int MAX_DEAD_LETTER_BYTES = 256 * 1024;

    private KafkaSerializers() {}

    /**
     * Results: the input's key and timestamp (as Kafka Streams does, so a result is dated by the
     * event it scores), the {@linkplain FormatResult#json JSON} of the result as value.
     */
    public static KafkaRecordSerializationSchema<Result> results(String topic) {
        return new ToTopic<>(topic, (record, to) -> new ProducerRecord<>(to, null, timestampOf(record.origin()),
                record.origin().key, utf8(FormatResult.json(record))));
    }

    /**
     * The input's timestamp, or none (the producer's clock) if it has none: a Kafka record may
     * carry -1, which {@link ProducerRecord} refuses.
     */
    static Long timestampOf(RecordOrigin origin) {
        return origin.timestamp >= 0 ? origin.timestamp : null;
    }

    /** Preprocessed records: the input's key; {@code {"input","value","topic","partition","offset"}}. */
    public static KafkaRecordSerializationSchema<InputRecord> preprocessed(String topic) {
        return new ToTopic<>(topic, (record, to) -> new ProducerRecord<>(to, record.origin.key, utf8(new JsonLine()
                .field("input", record.text)
                .field("value", record.value)
                .field("topic", record.origin.topic)
                .field("partition", record.origin.partition)
                .field("offset", record.origin.offset)
                .toString())));
    }

    /** Rejected model files: the file's path as key, {@code {"file","reason","message"}} as value. */
    /** JSON lines (shadow lines, rollout reports) as values, without a key. */
    public static KafkaRecordSerializationSchema<String> lines(String topic) {
        return new ToTopic<>(topic, (line, to) -> new ProducerRecord<>(to, null, utf8(line)));
    }

    public static KafkaRecordSerializationSchema<RejectedModel> rejectedModels(String topic) {
        return new ToTopic<>(topic, (rejected, to) -> new ProducerRecord<>(to, utf8(rejected.file),
                utf8(FormatRejections.model(rejected))));
    }

    /**
     * Dead letters: the input's key and value, byte for byte, and headers with the reason and the
     * input's topic, partition, offset and timestamp. A value over {@link #MAX_DEAD_LETTER_BYTES}
     * is cut to that size (header {@code modelcast.original.length} gives the full size), so a
     * dead letter always fits a broker's default 1 MiB record limit and can never fail the job.
     */
    public static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return new ToTopic<>(topic, (letter, to) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, utf8(letter.reason));
            headers.add(SOURCE_TOPIC_HEADER, utf8(letter.origin.topic));
            headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(letter.origin.partition)));
            headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(letter.origin.offset)));
            headers.add(SOURCE_TIMESTAMP_HEADER, utf8(Long.toString(letter.origin.timestamp)));
            byte[] value = letter.value;
            if (value != null && value.length > MAX_DEAD_LETTER_BYTES) {
                headers.add(ORIGINAL_LENGTH_HEADER, utf8(Integer.toString(value.length)));
                value = Arrays.copyOf(value, MAX_DEAD_LETTER_BYTES);
            }
            return new ProducerRecord<>(to, null, timestampOf(letter.origin), letter.origin.key, value, headers);
        });
    }

    /**
     * A serializer that writes to one topic and says which (Flink's pooled transactional ids need
     * to know the sink's topics).
     */
    static final class ToTopic<T> implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

        private static final long serialVersionUID = 1L;

        /** Makes the Kafka record of one element, for the given topic. */
        @FunctionalInterface
        interface RecordMaker<T> extends Serializable {
            ProducerRecord<byte[], byte[]> make(T element, String topic);
        }

        private final String topic;
        private final RecordMaker<T> maker;

        ToTopic(String topic, RecordMaker<T> maker) {
            this.topic = topic;
            this.maker = maker;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            return maker.make(element, topic);
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
