package io.modelcast.console;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Follows the job's report, evaluation and drift topics ({@code --report-topic}, {@code
 * --eval-topic}, {@code --drift-topic}) from their start, as a {@code read_committed} consumer
 * without a group (nothing is committed to the broker), and hands each record to the {@link
 * EvidenceLog}. A topic that does not exist yet is looked for again every few seconds.
 */
final class TopicsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicsFollower.class);

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, EvidenceLog.Kind> kinds;
    private final EvidenceLog log;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param client the consumer's settings: the brokers and, for a secured broker, the --kafka-properties */
    TopicsFollower(Properties client, Map<String, EvidenceLog.Kind> kinds, EvidenceLog log) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(properties);
        this.kinds = Map.copyOf(kinds);
        this.log = log;
        this.thread = new Thread(this::follow, "console-topics");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        List<String> missing = new ArrayList<>(kinds.keySet());
        List<TopicPartition> assigned = new ArrayList<>();
        long nextLookup = 0;
        try {
            while (running) {
                if (!missing.isEmpty() && System.currentTimeMillis() >= nextLookup) {
                    Map<String, List<PartitionInfo>> topics = new HashMap<>(consumer.listTopics(Duration.ofSeconds(5)));
                    for (String topic : List.copyOf(missing)) {
                        if (topics.containsKey(topic)) {
                            topics.get(topic).forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
                            missing.remove(topic);
                        }
                    }
                    consumer.assign(assigned);
                    consumer.seekToBeginning(assigned);
                    nextLookup = System.currentTimeMillis() + 5_000;
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.value() != null) {
                        log.add(kinds.get(record.topic()), record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Stopped following the job's topics {}: {}", kinds.keySet(), e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
