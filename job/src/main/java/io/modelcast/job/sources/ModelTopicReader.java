package io.modelcast.job.sources;

import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.job.modelupdates.ModelValidator.Accepted;
import io.modelcast.job.modelupdates.ModelValidator.Verdict;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.model.ModelName;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads the model topic with one consumer (read_committed, no consumer group: the offsets are the
 * split's, in Flink's checkpoints). Each record is a version of the model its key names, its value a
 * model file's bytes; it goes out as a {@link ModelFileBytes} whose path names the record
 * ({@code kafka:TOPIC/PARTITION@OFFSET}), for the loader to validate like any file. A record that
 * names no model — no key, a key that is not a model name, a tombstone — goes out as unreadable,
 * with the reason, and the loader reports it; it never fails the job.
 *
 * <p>A job starting without state first reads the topic to where it ended at start-up, keeping the
 * newest records of each name ({@link TopicCatchUp}), and then hands out only each name's newest
 * valid one — so a long history, or a compacted topic, costs one validation and one broadcast per
 * name, not one per version. Records that named no model during that catch-up are counted and
 * logged, not reported one by one. From then on every record goes out as it comes.
 *
 * <p>Limits: the partitions are those the topic has when the split is assigned; partitions added
 * later are not read until the job restarts. Runs on the source's fetcher thread.
 */
final class ModelTopicReader implements SplitReader<ModelTopicReader.Element, ModelTopicSplit> {

    /**
     * What goes out: a record (or none, for a position-only update), and how the split's state moves
     * once it has gone out.
     *
     * @param file the record as a model file, or null
     * @param positionsAfter the partitions' next offsets once this has gone out; null to leave them
     * @param caughtUp whether the catch-up is done once this has gone out
     */
    record Element(ModelFileBytes file, Map<Integer, Long> positionsAfter, boolean caughtUp) {}

    private static final Logger LOG = LoggerFactory.getLogger(ModelTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final ModelValidator validator;
    private Consumer<byte[], byte[]> consumer;
    private ModelTopicSplit split;
    private List<TopicPartition> partitions = List.of();
    private Map<TopicPartition, Long> catchUpTargets;
    private TopicCatchUp catchUp;
    private boolean warnedMissing;

    /**
     * @param consumers makes the consumer, configured read_committed with byte-array deserializers
     * @param maxModelBytes the size limit of a model file
     * @param inputFormat what the job reads: a model for the other kind of input is not valid
     */
    ModelTopicReader(Supplier<Consumer<byte[], byte[]>> consumers, long maxModelBytes, InputFormat inputFormat) {
        this.consumers = consumers;
        this.validator = new ModelValidator(maxModelBytes, inputFormat);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ModelTopicSplit> splitsChange) {
        if (splitsChange instanceof SplitsAddition<ModelTopicSplit> addition && !addition.splits().isEmpty()) {
            split = addition.splits().get(0);
            consumer = consumers.get();
        }
    }

    @Override
    public RecordsWithSplitIds<Element> fetch() {
        RecordsBySplits.Builder<Element> out = new RecordsBySplits.Builder<>();
        try {
            if (consumer == null || (partitions.isEmpty() && !assign())) {
                return out.build();
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                ModelFileBytes file = toFile(record);
                if (catchUp != null) {
                    catchUp.add(file, file.readError == null);
                } else {
                    out.add(split.splitId(), new Element(file, Map.of(record.partition(), record.offset() + 1), true));
                }
            }
            if (catchUp != null && caughtUp()) {
                handOutNewestValid(out);
            }
        } catch (WakeupException e) {
            // Flink woke the fetcher (new work, closing): what was read so far is kept; the next fetch goes on.
        }
        return out.build();
    }

    /** Assigns the topic's partitions and seeks to the split's positions; false if the topic has none (yet). */
    private boolean assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(split.topic(), METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            if (!warnedMissing) {
                LOG.warn("The model topic {} does not exist (yet); no model comes from it until it does", split.topic());
                warnedMissing = true;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        List<TopicPartition> assigned = infos.stream().map(info -> new TopicPartition(split.topic(), info.partition())).toList();
        consumer.assign(assigned);
        for (TopicPartition partition : assigned) {
            Long position = split.positions().get(partition.partition());
            if (position != null) {
                consumer.seek(partition, position);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
        if (!split.caughtUp()) {
            catchUpTargets = consumer.endOffsets(assigned);
            catchUp = new TopicCatchUp();
            LOG.info("Reading the model topic {} up to where it ends now ({}), to start with each model's newest valid version",
                    split.topic(), catchUpTargets);
        }
        // Last: a wake-up above leaves the assignment to be done again, whole, by the next fetch.
        partitions = assigned;
        return true;
    }

    private boolean caughtUp() {
        for (Map.Entry<TopicPartition, Long> target : catchUpTargets.entrySet()) {
            if (consumer.position(target.getKey()) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each name's kept records newest first, until one is valid — and if that one is a challenger, its
     * champion first, when it is among the kept records, so the loader has the champion in force
     * when the challenger arrives; then the positions reached, as caught up.
     */
    private void handOutNewestValid(RecordsBySplits.Builder<Element> out) {
        int names = 0;
        for (List<ModelFileBytes> newestFirst : catchUp.candidatesNewestFirst()) {
            names++;
            for (int i = 0; i < newestFirst.size(); i++) {
                ModelFileBytes file = newestFirst.get(i);
                // A single record goes to the loader as it is; a choice among several needs a verdict here.
                Verdict verdict = newestFirst.size() > 1 ? validator.validate(file) : null;
                if (verdict instanceof Accepted accepted && accepted.file().rollout().isPresent()) {
                    long champion = accepted.file().rollout().get().challenges();
                    championOf(newestFirst.subList(i + 1, newestFirst.size()), champion)
                            .ifPresent(championFile -> out.add(split.splitId(), new Element(championFile, null, false)));
                }
                out.add(split.splitId(), new Element(file, null, false));
                if (verdict instanceof Accepted) {
                    break;
                }
            }
        }
        Map<Integer, Long> positions = new TreeMap<>();
        partitions.forEach(partition -> positions.put(partition.partition(), consumer.position(partition)));
        out.add(split.splitId(), new Element(null, positions, true));
        LOG.info("Read the model topic {} to {}: {} model names, {} older versions not read, {} records that name no model{}",
                split.topic(), positions, names, catchUp.superseded(), catchUp.notModels(),
                catchUp.firstNotModel() == null ? "" : " (the first: " + catchUp.firstNotModel() + ")");
        catchUp = null;
        catchUpTargets = null;
    }

    /** The record among {@code older} that holds version {@code champion} and is valid, if any. */
    private Optional<ModelFileBytes> championOf(List<ModelFileBytes> older, long champion) {
        for (ModelFileBytes file : older) {
            if (validator.validate(file) instanceof Accepted accepted && accepted.file().version() == champion) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** A record as a model file of the name its key names, or as unreadable if it names none. */
    static ModelFileBytes toFile(ConsumerRecord<byte[], byte[]> record) {
        String path = ModelFileBytes.TOPIC_PATH_PREFIX + record.topic() + "/" + record.partition() + "@" + record.offset();
        if (record.key() == null) {
            return ModelFileBytes.unreadable(path, "the record has no key; a model record's key is its model's name");
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        if (!ModelName.isValid(name)) {
            return ModelFileBytes.unreadable(path, "its key is not a model name: " + ModelName.describeInvalid(name));
        }
        if (record.value() == null) {
            return ModelFileBytes.unreadable(path, "the record has no value (a tombstone); models are not deleted that way:"
                    + " publish a new version instead").named(name);
        }
        return ModelFileBytes.read(path, record.value()).named(name);
    }

    @Override
    public void wakeUp() {
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
