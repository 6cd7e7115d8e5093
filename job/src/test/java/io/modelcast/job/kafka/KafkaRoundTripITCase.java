package io.modelcast.job.kafka;

import io.modelcast.job.JobArguments;
import static io.modelcast.job.kafka.KafkaTestSupport.header;
import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.text;
import static io.modelcast.job.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.kafka.KafkaTestSupport.Sent;
import io.modelcast.job.testing.Uids;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The Kafka path on a real broker: s0 → job → s2, dead letters and s1, and a hot swap under load. */
class KafkaRoundTripITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path models;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s1 = KafkaTestSupport.uniqueTopic("s1");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("s2-dead-letters");
    private JobClient job;
    private KafkaTestSupport kafka;

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyInputHasExactlyOneResultOrDeadLetterWithItsKeyAndOffset() throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s1, 1, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        List<Sent> valid = kafka.sendNumbers(s0, 2, "k", 0, 500);
        List<Sent> bad = List.of(
                kafka.send(s0, 0, "bad-text", utf8("seven")),
                kafka.send(s0, 1, "bad-empty", utf8("")),
                kafka.send(s0, 0, "bad-null", null),
                kafka.send(s0, 1, "bad-utf8", new byte[] {(byte) 0xC3, (byte) 0x28}),
                kafka.send(s0, 0, "bad-long", utf8("1".repeat(65))),
                kafka.send(s0, 1, "bad-decimal", utf8("7.5")));
        // Sentinels last in each partition: once their results are committed, so are all before them.
        List<Sent> sentinels = List.of(kafka.send(s0, 0, "end-0", utf8("0")), kafka.send(s0, 1, "end-1", utf8("1")));

        job = startJob(kafkaJob());

        List<ConsumerRecord<byte[], byte[]>> results = kafka.readCommittedUntil(s2, TIMEOUT,
                read -> KafkaTestSupport.containsKeys(read, List.of("end-0", "end-1")));
        assertThat(results).hasSize(valid.size() + sentinels.size());
        Map<String, Sent> sentByKey = new HashMap<>();
        valid.forEach(s -> sentByKey.put(s.key(), s));
        sentinels.forEach(s -> sentByKey.put(s.key(), s));
        for (ConsumerRecord<byte[], byte[]> result : results) {
            Sent input = sentByKey.get(text(result.key()));
            assertThat(input).as("result for key %s", text(result.key())).isNotNull();
            JsonNode value = json(result);
            assertThat(value.get("input").asText()).isEqualTo(text(input.value()));
            assertThat(value.get("output").asText())
                    .isEqualTo(new CustomModel(true).transform(Long.parseLong(text(input.value()))));
            assertThat(value.get("modelVersion").asLong()).isEqualTo(1);
            assertThat(value.get("topic").asText()).isEqualTo(s0);
            assertThat(value.get("partition").asInt()).isEqualTo(input.partition());
            assertThat(value.get("offset").asLong()).isEqualTo(input.offset());
        }

        List<ConsumerRecord<byte[], byte[]>> letters =
                kafka.readCommittedUntil(deadLetters, TIMEOUT, read -> read.size() >= bad.size());
        assertThat(letters).hasSize(bad.size());
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            Sent input = bad.stream().filter(s -> s.key().equals(text(letter.key()))).findFirst().orElseThrow();
            assertThat(letter.value()).as("original bytes of %s", input.key()).isEqualTo(input.value());
            assertThat(header(letter, KafkaSerializers.SOURCE_TOPIC_HEADER)).isEqualTo(s0);
            assertThat(header(letter, KafkaSerializers.SOURCE_PARTITION_HEADER)).isEqualTo(Integer.toString(input.partition()));
            assertThat(header(letter, KafkaSerializers.SOURCE_OFFSET_HEADER)).isEqualTo(Long.toString(input.offset()));
            reasons.put(input.key(), header(letter, KafkaSerializers.REASON_HEADER));
        }
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bad-text", "not an integer",
                "bad-empty", "empty",
                "bad-null", "empty",
                "bad-utf8", "not valid UTF-8",
                "bad-long", "longer than 64 bytes",
                "bad-decimal", "not an integer"));

        List<ConsumerRecord<byte[], byte[]>> preprocessed = kafka.readCommittedUntil(s1, TIMEOUT,
                read -> KafkaTestSupport.containsKeys(read, List.of("end-0", "end-1")));
        assertThat(preprocessed).hasSize(valid.size() + sentinels.size());
        assertThat(preprocessed).allSatisfy(r -> assertThat(json(r).get("value").asLong())
                .isEqualTo(Long.parseLong(text(sentByKey.get(text(r.key())).value()))));
    }

    @Test
    void aModelPublishedWhileRecordsFlowReachesEveryScoringSubtask() throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s1, 1, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        job = startJob(kafkaJob("--parallelism", "4"));

        awaitAllSubtasksScoreWith(1, 0);
        directory.publish(newest -> new CustomModel(false), warning -> {});
        awaitAllSubtasksScoreWith(2, 100_000);
    }

    @Test
    void recordsBeyondMaxPendingBeforeTheFirstModelBecomeDeadLettersAndTheRestAreScored() throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s1, 1, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        // Records one by one (no batching), so the rebalance deals them evenly to the two scoring
        // subtasks and each fills its 10 places: batches of uneven size would make the split uneven.
        job = startJob(kafkaJob("--max-pending", "10", "--batch-timeout", "0ms"));
        List<Sent> early = kafka.sendNumbers(s0, 2, "early", 0, 60);
        // 60 records, at most 10 held per scoring subtask: at least 40 have to go somewhere.
        List<ConsumerRecord<byte[], byte[]>> letters =
                kafka.readCommittedUntil(deadLetters, TIMEOUT, read -> read.size() >= 40);

        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        Set<String> earlyKeys = early.stream().map(Sent::key).collect(Collectors.toSet());
        Set<String> letterKeys = letters.stream().map(r -> text(r.key())).collect(Collectors.toSet());
        Set<String> heldKeys = new HashSet<>(earlyKeys);
        heldKeys.removeAll(letterKeys);
        List<ConsumerRecord<byte[], byte[]>> results =
                kafka.readCommittedUntil(s2, TIMEOUT, read -> KafkaTestSupport.containsKeys(read, heldKeys));

        assertThat(letters).hasSize(40).allSatisfy(letter -> {
            assertThat(header(letter, KafkaSerializers.REASON_HEADER)).startsWith("no model yet");
            assertThat(letter.value()).isEqualTo(early.stream()
                    .filter(s -> s.key().equals(text(letter.key()))).findFirst().orElseThrow().value());
        });
        assertThat(results).extracting(r -> text(r.key())).containsExactlyInAnyOrderElementsOf(heldKeys);
        assertThat(results).allSatisfy(r -> assertThat(json(r).get("modelVersion").asLong()).isEqualTo(1));
    }

    @Test
    void staleResultsBecomeDeadLettersAndRejectedModelsAreReportedToTheirTopic() throws Exception {
        String rejectedModels = KafkaTestSupport.uniqueTopic("rejected-models");
        KAFKA.createTopics(Map.of(s0, 2, s1, 1, s2, 1, deadLetters, 1, rejectedModels, 1));
        kafka = new KafkaTestSupport(KAFKA);
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        ModelDirectory.open(models, new ModelFileCodec(), anHourAgo).publish(newest -> new CustomModel(true), warning -> {});
        List<Sent> scoredByAnOldModel = kafka.sendNumbers(s0, 2, "old", 0, 20);

        job = startJob(kafkaJob("--rejected-models-topic", rejectedModels, "--max-model-age", "10m",
                "--parallelism", "4"));

        List<ConsumerRecord<byte[], byte[]>> letters =
                kafka.readCommittedUntil(deadLetters, TIMEOUT, read -> read.size() >= scoredByAnOldModel.size());
        assertThat(letters).hasSize(scoredByAnOldModel.size()).allSatisfy(letter -> assertThat(
                header(letter, KafkaSerializers.REASON_HEADER)).startsWith("stale model: version 1 was "));

        Files.write(models.resolve("model-2.json"), new byte[0]);
        List<ConsumerRecord<byte[], byte[]>> rejected = kafka.readCommittedUntil(rejectedModels, TIMEOUT, read -> !read.isEmpty());
        assertThat(text(rejected.get(0).key())).endsWith("model-2.json");
        assertThat(json(rejected.get(0)).get("reason").asText()).isEqualTo("EMPTY");

        ModelDirectory.open(models).publish(newest -> new CustomModel(false), warning -> {});
        // Until a subtask has the fresh model its results are dead letters, so wait for results
        // of version 3 from every subtask rather than for every key.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Set<Integer> fresh = new HashSet<>();
        for (int batch = 0; fresh.size() < 4; batch++) {
            assertThat(System.nanoTime()).as("every subtask scores with version 3 in time; so far %s", fresh)
                    .isLessThan(deadline);
            kafka.sendNumbers(s0, 2, "fresh", 1_000 + batch * 40, 40);
            for (ConsumerRecord<byte[], byte[]> result : kafka.readCommittedUntil(s2, TIMEOUT, read -> !read.isEmpty())) {
                fresh.add(json(result).get("subtask").asInt());
            }
        }
        // The results topic holds no result of the stale model: its results were held back.
        assertThat(kafka.readCommittedUntil(s2, TIMEOUT, read -> !read.isEmpty())).allSatisfy(result -> {
            assertThat(json(result).get("modelVersion").asLong()).isEqualTo(3);
            assertThat(json(result).get("modelAgeMs").asLong()).isBetween(0L, Duration.ofMinutes(10).toMillis());
        });
    }

    @Test
    void aMissingTopicStopsTheSubmissionWithAMessageInsteadOfARestartLoop() {
        assertThatThrownBy(() -> startJob(kafkaJob()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not exist at " + KAFKA.bootstrapServers())
                .hasMessageContaining("bin/kafka-local create-topics");
    }

    @Test
    void settingsOfEveryClientReachTheAdminClientSoAWrongOneFailsTheSubmissionOnce() {
        // The test broker speaks PLAINTEXT: a client set up for SASL cannot talk to it, and the topic
        // check at submission says so, instead of the job failing over and over.
        JobOptions options = kafkaJob("--kafka-property", "security.protocol=SASL_PLAINTEXT", "--kafka-property",
                "sasl.mechanism=PLAIN", "--kafka-property", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"u\" password=\"s3cret\";");
        assertThatThrownBy(() -> startJob(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot reach Kafka at " + KAFKA.bootstrapServers())
                .hasMessageNotContaining("s3cret");
    }

    /** Sends batches of records until the results of one batch come from all four subtasks with {@code version}. */
    private void awaitAllSubtasksScoreWith(long version, int firstKey) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int batch = 0; ; batch++) {
            List<Sent> sent = kafka.sendNumbers(s0, 2, "swap", firstKey + batch * 40, 40);
            Set<String> keys = sent.stream().map(Sent::key).collect(Collectors.toSet());
            List<ConsumerRecord<byte[], byte[]>> results = kafka.readCommittedUntil(s2, TIMEOUT,
                    read -> KafkaTestSupport.containsKeys(read, keys));
            Set<Integer> subtasksWithVersion = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> result : results) {
                if (keys.contains(text(result.key())) && json(result).get("modelVersion").asLong() == version) {
                    subtasksWithVersion.add(json(result).get("subtask").asInt());
                }
            }
            if (subtasksWithVersion.containsAll(IntStream.range(0, 4).boxed().toList())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("model version " + version + " reached only subtasks " + subtasksWithVersion);
            }
        }
    }

    /** The options of a job on this test's topics, and {@code more}. */
    private JobOptions kafkaJob(String... more) {
        List<String> args = new ArrayList<>(List.of("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--preprocessed-topic", s1,
                "--group-id", "test-" + s0, "--starting-offsets", "earliest", "--models", models.toString(),
                "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms"));
        args.addAll(List.of(more));
        return JobArguments.parse(args.toArray(String[]::new));
    }

    private JobClient startJob(JobOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ModelcastJob.build(env, options);
        assertThat(Uids.missingIn(env)).as("operators of the Kafka job without a uid").isEmpty();
        return env.executeAsync("kafka-round-trip");
    }
}
