package io.modelcast.fitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * The job's labelled examples ({@code --examples-topic}) of one model name, from the most recent
 * window, as training data: every partition from the first offset written at or after {@code now −
 * window} to the end committed when reading starts, read_committed (an exactly-once job's examples
 * count once committed), without a consumer group. An example is
 * {@code {"id":…,"model":…,"modelVersion":…,"features":[…],"label":0|1,"score":…}}; examples of other
 * names, of another width than the first, or that are not examples are skipped and counted.
 */
final class ExamplesTopic {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What was read: the training rows, and how many records were skipped and why. */
    record Read(LabelledData data, Map<String, Integer> skipped) {}

    private ExamplesTopic() {}

    static Read read(String bootstrapServers, String topic, Duration window, String name) throws IOException {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "modelcast-train");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new IOException("the examples topic " + topic + " does not exist at " + bootstrapServers);
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            long since = Instant.now().minus(window).toEpochMilli();
            Map<TopicPartition, Long> from = new HashMap<>();
            assigned.forEach(p -> from.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(from, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, TIMEOUT);
            for (TopicPartition partition : assigned) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            Rows rows = new Rows(name);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (assigned.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        rows.add(record.value());
                    }
                }
            }
            return new Read(rows.data(), rows.skipped);
        }
    }

    /** Gathers the rows of one name, all of the first row's width. */
    private static final class Rows {
        private final String name;
        private final List<float[]> features = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();
        private final Map<String, Integer> skipped = new HashMap<>();

        Rows(String name) {
            this.name = name;
        }

        void add(byte[] value) {
            JsonNode example;
            try {
                example = value == null ? null : JSON.readTree(new String(value, StandardCharsets.UTF_8));
            } catch (IOException e) {
                example = null;
            }
            if (example == null || !example.path("features").isArray() || !example.path("label").isInt()) {
                skip("not an example");
                return;
            }
            if (!name.equals(example.path("model").asText())) {
                skip("another model's");
                return;
            }
            JsonNode array = example.get("features");
            if (!features.isEmpty() && array.size() != features.get(0).length) {
                skip("another width than the first example's");
                return;
            }
            int label = example.get("label").asInt();
            if (label != 0 && label != 1) {
                skip("not an example");
                return;
            }
            float[] row = new float[array.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) array.get(i).asDouble();
            }
            features.add(row);
            labels.add(label);
        }

        private void skip(String why) {
            skipped.merge(why, 1, Integer::sum);
        }

        LabelledData data() throws IOException {
            if (features.isEmpty()) {
                throw new IOException("no examples of model " + name + " in the window"
                        + (skipped.isEmpty() ? "" : " (skipped: " + skipped + ")"));
            }
            int width = features.get(0).length;
            float[] flat = new float[features.size() * width];
            for (int r = 0; r < features.size(); r++) {
                System.arraycopy(features.get(r), 0, flat, r * width, width);
            }
            List<String> names = IntStream.range(0, width).mapToObj(i -> "f" + i).toList();
            return new LabelledData(names, flat, labels.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
