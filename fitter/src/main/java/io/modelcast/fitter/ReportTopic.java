package io.modelcast.fitter;

import io.modelcast.cli.KafkaClientOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The job's rollout reports on a Kafka topic, as lines for {@link RolloutWatch}: every partition from
 * its start, read_committed (an exactly-once job's reports count once committed), without a consumer
 * group, so watching commits nothing and a second watcher sees the same reports.
 */
final class ReportTopic implements RolloutWatch.Lines {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ArrayDeque<String> buffered = new ArrayDeque<>();

    private ReportTopic(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Reads {@code topics} (the reports, and the evaluation records if asked for) together. */
    static ReportTopic open(String bootstrapServers, KafkaClientOptions clients, List<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "modelcast-rollout-watch");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.over(properties, "fitter rollout --watch"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> assigned = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (partitions == null || partitions.isEmpty()) {
                    throw new IllegalArgumentException("the topic " + topic + " does not exist at " + bootstrapServers);
                }
                partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            return new ReportTopic(consumer);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public String next() {
        if (buffered.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    buffered.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return buffered.poll();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
