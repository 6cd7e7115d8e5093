package io.modelcast.fitter;

import io.modelcast.cli.KafkaClientOptions;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.VersionStore;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * One model name's versions on a Kafka topic (key: the name; value: the model file's bytes, exactly
 * as on disk): what {@code --to-kafka TOPIC} publishes to and {@code list --from-kafka} reads.
 *
 * <p>Versions stay unique across fitters on different machines. The lock is a transactional
 * producer whose id belongs to the topic and the name: starting it fences every earlier producer of
 * that id, so of publishers that overlap only the last to start can commit, and it reads the topic
 * (read_committed) after starting — after every version committed before it. A publisher that was
 * fenced meanwhile fails with a message saying so and publishes nothing. A model larger than the
 * topic's {@code max.message.bytes} is refused before anything is sent, with the limit and the fix.
 *
 * <p>Limits: reading the versions reads the whole topic (a compacted topic keeps it short); the
 * highest version published is the highest still on the topic, which compaction keeps.
 */
final class TopicVersions implements VersionStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Room for a record's key, headers and batch overhead beside its value. */
    private static final int RECORD_OVERHEAD = 64 * 1024;

    private final String bootstrapServers;
    private final KafkaClientOptions clients;
    private final String topic;
    private final String name;
    private final int maxRecordBytes;
    private KafkaProducer<byte[], byte[]> producer;
    /** Per version, where it is: read once per lock, or on first use outside one. */
    private Map<Long, TopicPartitionOffset> published;

    private record TopicPartitionOffset(TopicPartition partition, long offset) {}

    /**
     * @param maxRecordBytes the largest record this publisher sends (its producer's request size)
     */
    TopicVersions(String bootstrapServers, KafkaClientOptions clients, String topic, String name, int maxRecordBytes) {
        this.bootstrapServers = bootstrapServers;
        this.clients = clients;
        this.topic = topic;
        this.name = name;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public <T> T withLock(Locked<T> action) throws IOException {
        Properties own = new Properties();
        own.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        own.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "modelcast-publish-" + topic + "-" + name);
        own.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + RECORD_OVERHEAD);
        own.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) maxRecordBytes + 2L * RECORD_OVERHEAD);
        own.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        producer = new KafkaProducer<>(clients.over(own, "fitter"), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            published = null;
            return action.run();
        } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException
                | ConcurrentTransactionsException e) {
            // Another publisher of this name started while this one held the lock: nothing of this one is committed.
            throw lostRace("the next version", e);
        } catch (KafkaException e) {
            throw new IOException("cannot publish to topic " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
        } finally {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @Override
    public List<Long> versions() throws IOException {
        return published().keySet().stream().sorted(Comparator.reverseOrder()).toList();
    }

    @Override
    public ModelFile read(long version, ModelFileCodec codec) throws IOException, ModelFileException {
        TopicPartitionOffset where = published().get(version);
        if (where == null) {
            throw new NoSuchFileException(describe(), null, "no model version " + version + " of " + name + " is on the topic");
        }
        return codec.decode("kafka:" + topic + "/" + where.partition().partition() + "@" + where.offset(), fetch(where));
    }

    @Override
    public long lastVersion() throws IOException {
        return published().keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public void write(long version, byte[] content, boolean champion, java.util.function.Consumer<String> warnings)
            throws IOException {
        int limit = ModelTopicRecords.recordLimit(bootstrapServers, clients, topic);
        if (content.length + name.length() > limit || content.length > maxRecordBytes) {
            throw new IOException("model version " + version + " of " + name + " is " + content.length + " bytes; topic " + topic
                    + " takes records of at most " + Math.min(limit, maxRecordBytes) + " bytes (its max.message.bytes is "
                    + limit + "): raise the topic's max.message.bytes (bin/kafka-local create-topics --model-topic makes topics"
                    + " that take 64 MiB), or publish this model to a directory (--models DIR). Nothing was published");
        }
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, name.getBytes(StandardCharsets.UTF_8), content)).get();
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw lostRace("version " + version, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException) {
                throw lostRace("version " + version, e.getCause());
            }
            abort();
            throw new IOException("version " + version + " of " + name + " was not published to topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IOException("interrupted while publishing", e);
        }
        published = null;
    }

    private IOException lostRace(String what, Throwable fenced) {
        return new IOException("another publisher of model " + name + " on topic " + topic + " started meanwhile; " + what
                + " was not published (run the command again to publish after it)", fenced);
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // Fenced or failed: the broker aborts it anyway.
        }
    }

    @Override
    public String describe() {
        return "topic " + topic + " (model " + name + ") at " + bootstrapServers;
    }

    private Map<Long, TopicPartitionOffset> published() throws IOException {
        if (published == null) {
            published = scan();
        }
        return published;
    }

    /** Reads the topic to its end (read_committed): where each version of this name is. */
    private Map<Long, TopicPartitionOffset> scan() throws IOException {
        Map<Long, TopicPartitionOffset> versions = new TreeMap<>();
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos() * 4;
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("reading topic " + topic + " to its end took more than " + TIMEOUT.toSeconds() * 4 + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.key(), key) && record.value() != null) {
                        long version = ModelTopicRecords.versionIn(record.value());
                        if (version > 0) {
                            versions.put(version, new TopicPartitionOffset(new TopicPartition(topic, record.partition()),
                                    record.offset()));
                        }
                    }
                }
            }
        }
        return versions;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** One record's value. */
    private byte[] fetch(TopicPartitionOffset where) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(where.partition()));
            consumer.seek(where.partition(), where.offset());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == where.offset()) {
                        return record.value();
                    }
                }
            }
        }
        throw new IOException("cannot read " + topic + "/" + where.partition().partition() + "@" + where.offset()
                + " within " + TIMEOUT.toSeconds() + " s");
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties own = new Properties();
        own.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        own.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        own.put(ConsumerConfig.CLIENT_ID_CONFIG, "modelcast-fitter-" + topic);
        return new KafkaConsumer<>(clients.over(own, "fitter"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) throws IOException {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, TIMEOUT);
        } catch (KafkaException e) {
            throw new IOException("cannot read topic " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new NoSuchFileException(topic, null, "the model topic does not exist at " + bootstrapServers
                    + " (create it: bin/kafka-local create-topics --model-topic " + topic + ", or with your cluster's tools,"
                    + " compacted)");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }
}
