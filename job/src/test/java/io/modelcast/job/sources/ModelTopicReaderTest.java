package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.InputFormat;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.sources.ModelTopicReader.Element;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.rollout.Rollout;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The model topic's reader against Kafka's MockConsumer: the start-up catch-up, then record by record. */
class ModelTopicReaderTest {

    private static final String TOPIC = "models";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final ModelFileCodec CODEC = new ModelFileCodec();

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final List<ConsumerRecord<byte[], byte[]>> history = new ArrayList<>();
    private final ModelTopicReader reader = new ModelTopicReader(() -> consumer, 1 << 20, InputFormat.INT);

    @Test
    void atStartUpOnlyEachNamesNewestValidVersionGoesOutThenThePositionsAsCaughtUp() throws Exception {
        for (long version = 1; version <= 10; version++) {
            add("default", model(version));
        }
        add("fraud", model(1));
        add("fraud", model(2));
        add(null, "no key".getBytes(StandardCharsets.UTF_8));
        add("Not A Name", model(3));

        List<Element> out = start(ModelTopicSplit.fromTheBeginning(TOPIC));

        assertThat(out).extracting(e -> e.file() == null ? "positions " + e.positionsAfter() : e.file().name + " " + e.file().path)
                .containsExactly("default kafka:models/0@9", "fraud kafka:models/0@11", "positions {0=14}");
        assertThat(out.get(2).caughtUp()).isTrue();
        assertThat(out.get(0).positionsAfter()).isNull();
    }

    @Test
    void aNewestVersionThatIsNotValidGoesOutWithTheNewestValidOneBeforeIt() throws Exception {
        add("default", model(1));
        add("default", model(2));
        add("default", "{\"formatVersion\": 2, \"trunc".getBytes(StandardCharsets.UTF_8));

        List<Element> out = start(ModelTopicSplit.fromTheBeginning(TOPIC));

        assertThat(out).extracting(e -> e.file() == null ? "positions" : e.file().path)
                .containsExactly("kafka:models/0@2", "kafka:models/0@1", "positions");
    }

    @Test
    void aChallengersChampionGoesOutBeforeIt() throws Exception {
        add("default", model(1));
        add("default", model(2));
        byte[] challenger = CODEC.encode(ModelFile.create(3, Instant.now(), new CustomModel(false))
                .asChallenger(Rollout.canary(10, 2, new Rollout.Policy(100, 0.01, 0.25))));
        add("default", challenger);

        List<Element> out = start(ModelTopicSplit.fromTheBeginning(TOPIC));

        assertThat(out).extracting(e -> e.file() == null ? "positions" : e.file().path)
                .containsExactly("kafka:models/0@1", "kafka:models/0@2", "positions");
    }

    @Test
    void afterTheCatchUpEveryRecordGoesOutWithItsOffsetAndNonModelsAsUnreadable() throws Exception {
        add("default", model(1));
        start(ModelTopicSplit.fromTheBeginning(TOPIC));

        consumer.addRecord(record(1, "default", model(2)));
        consumer.addRecord(record(2, null, "junk".getBytes(StandardCharsets.UTF_8)));
        consumer.addRecord(record(3, "default", null));
        List<Element> out = elements(reader.fetch());

        assertThat(out).extracting(e -> e.file().path + " " + e.positionsAfter() + " " + e.file().readError)
                .containsExactly("kafka:models/0@1 {0=2} null",
                        "kafka:models/0@2 {0=3} the record has no key; a model record's key is its model's name",
                        "kafka:models/0@3 {0=4} the record has no value (a tombstone); models are not deleted that way:"
                                + " publish a new version instead");
    }

    @Test
    void aRestoredSplitGoesOnFromItsPositionsWithoutCatchingUp() throws Exception {
        for (long version = 1; version <= 5; version++) {
            add("default", model(version));
        }

        List<Element> out = start(new ModelTopicSplit(TOPIC, Map.of(0, 3L), true));

        assertThat(out).extracting(e -> e.file().path).containsExactly("kafka:models/0@3", "kafka:models/0@4");
    }

    @Test
    void aWakeUpDuringTheCatchUpIsNoFailureAndTheNextFetchGoesOn() throws Exception {
        add("default", model(1));
        add("default", model(2));
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, (long) history.size()));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(ModelTopicSplit.fromTheBeginning(TOPIC))));
        reader.wakeUp();

        assertThat(elements(reader.fetch())).isEmpty();
        consumer.schedulePollTask(() -> history.forEach(consumer::addRecord));
        assertThat(elements(reader.fetch())).extracting(e -> e.file() == null ? "positions" : e.file().path)
                .containsExactly("kafka:models/0@1", "positions");
    }

    @Test
    void anEmptyTopicIsCaughtUpAtOnce() throws Exception {
        List<Element> out = start(ModelTopicSplit.fromTheBeginning(TOPIC));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.file()).isNull();
            assertThat(e.caughtUp()).isTrue();
            assertThat(e.positionsAfter()).isEqualTo(Map.of(0, 0L));
        });
    }

    private List<Element> start(ModelTopicSplit split) throws Exception {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, (long) history.size()));
        consumer.schedulePollTask(() -> history.stream()
                .filter(r -> r.offset() >= split.positions().getOrDefault(0, 0L))
                .forEach(consumer::addRecord));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return elements(reader.fetch());
    }

    private void add(String key, byte[] value) {
        history.add(record(history.size(), key, value));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] model(long version) {
        return CODEC.encode(ModelFile.create(version, Instant.now(), new CustomModel(version % 2 == 0)));
    }

    private static List<Element> elements(RecordsWithSplitIds<Element> records) {
        List<Element> out = new ArrayList<>();
        while (records.nextSplit() != null) {
            Element element;
            while ((element = records.nextRecordFromSplit()) != null) {
                out.add(element);
            }
        }
        return out;
    }
}
