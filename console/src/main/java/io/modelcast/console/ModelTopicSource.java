package io.modelcast.console;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The published models of a model topic ({@code fitter --to-kafka}, the job's {@code --model-topic}):
 * followed from its start by a {@code read_committed} consumer without a group, each record (key: the
 * model name; value: the model file's bytes) kept by name and version, as long as the topic keeps it.
 */
final class ModelTopicSource implements ModelSource {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTopicSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final ModelFileCodec codec = new ModelFileCodec();
    private final Map<String, NavigableMap<Long, byte[]>> byName = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    ModelTopicSource(Properties client, String topic) {
        this.topic = topic;
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(properties);
        this.thread = new Thread(this::follow, "console-model-topic");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        List<TopicPartition> assigned = new ArrayList<>();
        try {
            while (running && assigned.isEmpty()) {
                List<PartitionInfo> partitions = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
                if (partitions == null) {
                    Thread.sleep(1_000);
                    continue;
                }
                partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    long version = versionIn(record.value());
                    if (record.key() != null && version > 0) {
                        byName.computeIfAbsent(record.key(), name -> new ConcurrentSkipListMap<>(Comparator.reverseOrder()))
                                .put(version, record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Stopped following the model topic {}: {}", topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static long versionIn(byte[] value) {
        try {
            JsonNode version = value == null ? null : JSON.readTree(value).get("version");
            return version != null && version.canConvertToLong() ? version.asLong() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public List<String> names(Consumer<String> warnings) {
        return byName.keySet().stream().sorted().toList();
    }

    @Override
    public List<Long> versions(String name) {
        NavigableMap<Long, byte[]> versions = byName.get(name);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    @Override
    public ModelFile read(String name, long version) throws IOException {
        NavigableMap<Long, byte[]> versions = byName.get(name);
        byte[] bytes = versions == null ? null : versions.get(version);
        if (bytes == null) {
            throw new NoSuchFileException("version " + version + " of " + name + " on topic " + topic);
        }
        try {
            return codec.decode("topic " + topic + ", model " + name + ", version " + version, bytes);
        } catch (ModelFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "topic " + topic;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
