package io.modelcast.job.kafka;

import io.modelcast.kafkalocal.KafkaBrokerExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Producing inputs and reading results on the test broker. */
public final class KafkaTestSupport implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBrokerExtension kafka;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaTestSupport(KafkaBrokerExtension kafka) {
        this.kafka = kafka;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** One input as the test produced it: its key and where Kafka put it. */
    public record Sent(String key, byte[] value, int partition, long offset) {}

    /** Produces one record to a given partition and waits for the broker's acknowledgement. */
    public Sent send(String topic, int partition, String key, byte[] value) {
        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, partition, utf8(key), value)).get();
            return new Sent(key, value, metadata.partition(), metadata.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed", e.getCause());
        }
    }

    /** Produces {@code count} integers {@code first..first+count-1}, keyed {@code <prefix><i>}, spread over partitions. */
    List<Sent> sendNumbers(String topic, int partitions, String keyPrefix, int first, int count) {
        List<Sent> sent = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            sent.add(send(topic, i % partitions, keyPrefix + i, utf8(Integer.toString(i % 20))));
        }
        return sent;
    }

    /**
     * Reads a topic as a {@code read_committed} consumer, from the beginning, until {@code done}
     * holds for what was read and then on to the end of what is committed at that moment (records
     * of one checkpoint may stand at higher offsets than the ones {@code done} waited for), or
     * fails after {@code timeout}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommittedUntil(
            KafkaBrokerExtension kafka, String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout.toSeconds() + " s reading " + topic
                            + "; read " + records.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // For a read_committed consumer the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout.toSeconds() + " s reading to the end of " + topic);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    List<ConsumerRecord<byte[], byte[]>> readCommittedUntil(
            String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        return readCommittedUntil(kafka, topic, timeout, done);
    }

    /** Whether every key in {@code keys} has a record among {@code records}. */
    static boolean containsKeys(Collection<ConsumerRecord<byte[], byte[]>> records, Collection<String> keys) {
        return records.stream().map(r -> text(r.key())).collect(Collectors.toSet()).containsAll(keys);
    }

    public static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(record.value()), e);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return text(record.headers().lastHeader(name).value());
    }

    static String uniqueTopic(String prefix) {
        return KafkaBrokerExtension.uniqueTopic(prefix);
    }

    static TopicPartition partition(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    public static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
