package io.modelcast.job.upgrade;

import static io.modelcast.job.upgrade.SavepointFixtures.INPUTS_PER_PARTITION;
import static io.modelcast.job.upgrade.SavepointFixtures.PARTITIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.kafka.KafkaSerializers;
import io.modelcast.job.kafka.KafkaTestSupport;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.FixedLinesServer;
import io.modelcast.job.testing.NumberServer;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * State survives the upgrade: savepoints written by earlier builds ({@link SavepointFixtures#BUILD} and
 * the builds after it, committed under {@code src/test/resources/savepoints}) restore with this one. Held records are
 * scored once a model arrives, the model in broadcast state scores without its file, the loader
 * keeps refusing versions it has already passed, and the Kafka job goes on from its offsets with
 * exactly one output per input.
 */
class SavepointRestoreITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path models;
    @TempDir Path savepoints;

    @ParameterizedTest(name = "written by {0}")
    @ValueSource(strings = {SavepointFixtures.BUILD, SavepointFixtures.NAMES_BUILD, SavepointFixtures.FEATURE_SPECS_BUILD})
    void heldRecordsOfAnOldSavepointAreScoredOnceByTheFirstModel(String build) throws Exception {
        CustomModel first = new CustomModel(true);
        ModelDirectory.open(models).publish(newest -> first, warning -> {});
        try (FixedLinesServer silent = new FixedLinesServer(List.of())) {
            Run run = restoreSocketJob(build, SavepointFixtures.SOCKET_PENDING, SavepointFixtures.socketOptions(silent.port(), models.toUri()));
            Await.until("the held records are scored", TIMEOUT, () -> run.scored.size() >= SavepointFixtures.HELD_LINES.size());
            run.job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            run.scored.awaitEnd(TIMEOUT);

            List<Result> scored = run.scored.snapshot();
            assertThat(scored).extracting(r -> r.input())
                    .containsExactlyInAnyOrderElementsOf(SavepointFixtures.HELD_LINES);
            assertThat(scored).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.output()).isEqualTo(first.transform(Long.parseLong(r.input())));
            });
        }
    }

    @ParameterizedTest(name = "written by {0}")
    @ValueSource(strings = {SavepointFixtures.BUILD, SavepointFixtures.NAMES_BUILD, SavepointFixtures.FEATURE_SPECS_BUILD})
    void theModelOfAnOldSavepointScoresWithoutItsFileAndOlderVersionsStayRefused(String build) throws Exception {
        CustomModel restoredModel = new CustomModel(false);
        CustomModel third = new CustomModel(true);
        try (NumberServer numbers = new NumberServer()) {
            Run run = restoreSocketJob(build, SavepointFixtures.SOCKET_MODEL, SavepointFixtures.socketOptions(numbers.port(), models.toUri()));
            try {
                Await.until("the restored job scores 100 records", TIMEOUT, () -> run.scored.size() >= 100);
                assertThat(run.scored.snapshot()).allSatisfy(r -> {
                    assertThat(r.modelVersion()).isEqualTo(2);
                    assertThat(r.output()).isEqualTo(restoredModel.transform(Long.parseLong(r.input())));
                });

                // The directory is empty now: its versions 1 and 2 are not newer than the restored 2.
                ModelDirectory directory = ModelDirectory.open(models);
                directory.publish(newest -> third, warning -> {});
                directory.publish(newest -> third, warning -> {});
                directory.publish(newest -> third, warning -> {});
                Await.until("both subtasks score with version 3", TIMEOUT, () -> run.scored.snapshot().stream()
                        .filter(r -> r.modelVersion() == 3).map(r -> r.subtask()).collect(Collectors.toSet()).size()
                        == SavepointFixtures.SCORING_PARALLELISM);
                assertThat(run.scored.snapshot()).extracting(r -> r.modelVersion()).containsOnly(2L, 3L);
                assertThat(run.scored.snapshot()).filteredOn(r -> r.modelVersion() == 3)
                        .allSatisfy(r -> assertThat(r.output()).isEqualTo(third.transform(Long.parseLong(r.input()))));
            } finally {
                run.job.cancel().get(60, TimeUnit.SECONDS);
                run.scored.close();
            }
        }
    }

    @Test
    void aCanaryOfAnOldSavepointGoesOnScoringItsShareWithItsPolicy() throws Exception {
        CustomModel champion = new CustomModel(true);
        CustomModel challenger = new CustomModel(false);
        try (NumberServer numbers = new NumberServer()) {
            Run run = restoreSocketJob(SavepointFixtures.EVALUATION_BOUNDS_BUILD, SavepointFixtures.SOCKET_CANARY,
                    SavepointFixtures.socketOptions(numbers.port(), models.toUri()));
            try {
                Await.until("both sides score on both subtasks", TIMEOUT, () -> run.scored.snapshot().stream()
                        .map(r -> r.role() + "@" + r.subtask()).collect(Collectors.toSet()).size()
                        == 2 * SavepointFixtures.SCORING_PARALLELISM);
                assertThat(run.scored.snapshot()).allSatisfy(r -> {
                    long input = Long.parseLong(r.input());
                    if (r.role() == Result.Role.CANARY) {
                        assertThat(r.modelVersion()).isEqualTo(2);
                        assertThat(r.output()).isEqualTo(challenger.transform(input));
                    } else {
                        assertThat(r.role()).isEqualTo(Result.Role.CHAMPION);
                        assertThat(r.modelVersion()).isEqualTo(1);
                        assertThat(r.output()).isEqualTo(champion.transform(input));
                    }
                });
                // Versions 1 and 2 are not newer than the restored ones; version 3, a champion, ends the rollout.
                ModelDirectory directory = ModelDirectory.open(models);
                for (int i = 0; i < 3; i++) {
                    directory.publish(newest -> champion, warning -> {});
                }
                Await.until("a new champion ends the rollout on both subtasks", TIMEOUT, () -> run.scored.snapshot().stream()
                        .filter(r -> r.modelVersion() == 3 && r.role() == Result.Role.ONLY).map(r -> r.subtask())
                        .collect(Collectors.toSet()).size() == SavepointFixtures.SCORING_PARALLELISM);
            } finally {
                run.job.cancel().get(60, TimeUnit.SECONDS);
                run.scored.close();
            }
        }
    }

    @ParameterizedTest(name = "written by {0}")
    @ValueSource(strings = {SavepointFixtures.REMOTE_BUILD, SavepointFixtures.NAMES_BUILD,
            SavepointFixtures.REMOTE_CHALLENGERS_BUILD})
    void remoteCallsInFlightInAnOldSavepointAreMadeAgainAndFallBackWhenTheServerIsGone(String build) throws Exception {
        CustomModel fallback = new CustomModel(true);
        try (FixedLinesServer silent = new FixedLinesServer(List.of())) {
            // Nothing listens on the pointer's port any more: each call fails at once and falls back.
            Run run = restoreSocketJob(build, SavepointFixtures.SOCKET_REMOTE_IN_FLIGHT,
                    SavepointFixtures.remoteOptions(silent.port(), models.toUri()));
            Await.until("every call in flight has its result", TIMEOUT,
                    () -> run.scored.size() >= SavepointFixtures.IN_FLIGHT_LINES.size());
            run.job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            run.scored.awaitEnd(TIMEOUT);

            List<Result> scored = run.scored.snapshot();
            assertThat(scored).extracting(r -> r.input()).containsExactlyInAnyOrderElementsOf(SavepointFixtures.IN_FLIGHT_LINES);
            assertThat(scored).allSatisfy(r -> {
                assertThat(r.modelVersion()).as("the fallback's version").isEqualTo(1);
                assertThat(r.fallbackFrom()).hasValueSatisfying(failure -> {
                    assertThat(failure.version()).isEqualTo(2);
                    assertThat(failure.reason()).contains("cannot reach");
                });
                assertThat(r.output()).isEqualTo(fallback.transform(Long.parseLong(r.input())));
            });
        }
    }

    @Test
    void theKafkaJobOfAnOldSavepointGoesOnFromItsOffsetsWithExactlyOneOutputPerInput() throws Exception {
        Properties observed = observed(SavepointFixtures.KAFKA_MIDSTREAM);
        KAFKA.createTopics(Map.of(SavepointFixtures.INPUT_TOPIC, PARTITIONS, SavepointFixtures.OUTPUT_TOPIC, 1,
                SavepointFixtures.DEAD_LETTER_TOPIC, 1));
        Map<String, String> expectedResults = new HashMap<>();
        Set<String> expectedDeadLetters = new HashSet<>();
        CustomModel restoredModel = new CustomModel(true);
        try (KafkaTestSupport kafka = new KafkaTestSupport(KAFKA)) {
            for (long offset = 0; offset < INPUTS_PER_PARTITION; offset++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    String input = SavepointFixtures.input(partition, offset);
                    kafka.send(SavepointFixtures.INPUT_TOPIC, partition, SavepointFixtures.key(partition, offset),
                            KafkaTestSupport.utf8(input));
                    if (offset < Long.parseLong(observed.getProperty("nextOffset." + partition))) {
                        continue;
                    }
                    if (input.startsWith("not a number")) {
                        expectedDeadLetters.add(partition + "@" + offset);
                    } else {
                        expectedResults.put(partition + "@" + offset, restoredModel.transform(Long.parseLong(input)));
                    }
                }
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    restoreFrom(SavepointFixtures.committed(SavepointFixtures.KAFKA_MIDSTREAM)));
            env.setParallelism(PARTITIONS);
            ModelcastJob.build(env, SavepointFixtures.kafkaOptions(KAFKA.bootstrapServers(), models.toUri(), Delivery.EXACTLY_ONCE));
            JobClient job = env.executeAsync("restored-kafka");
            try {
                List<ConsumerRecord<byte[], byte[]>> results = KafkaTestSupport.readCommittedUntil(KAFKA,
                        SavepointFixtures.OUTPUT_TOPIC, TIMEOUT, read -> read.size() >= expectedResults.size());
                List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaTestSupport.readCommittedUntil(KAFKA,
                        SavepointFixtures.DEAD_LETTER_TOPIC, TIMEOUT, read -> read.size() >= expectedDeadLetters.size());

                Map<String, String> outputs = new HashMap<>();
                List<String> resultOffsets = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> result : results) {
                    var json = KafkaTestSupport.json(result);
                    String at = json.get("partition").asInt() + "@" + json.get("offset").asLong();
                    resultOffsets.add(at);
                    outputs.put(at, json.get("output").asText());
                    assertThat(json.get("modelVersion").asLong()).as("model version of " + at)
                            .isEqualTo(Long.parseLong(observed.getProperty("modelVersion")));
                }
                assertThat(resultOffsets).as("one result per input offset after the savepoint's")
                        .doesNotHaveDuplicates().hasSize(expectedResults.size());
                assertThat(outputs).isEqualTo(expectedResults);
                assertThat(deadLetters).extracting(d -> header(d, KafkaSerializers.SOURCE_PARTITION_HEADER) + "@"
                                + header(d, KafkaSerializers.SOURCE_OFFSET_HEADER))
                        .as("one dead letter per bad input after the savepoint's offsets")
                        .containsExactlyInAnyOrderElementsOf(expectedDeadLetters);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private record Run(JobClient job, Collected<Result> scored) {}

    private static Run restoreSocketJob(String build, String fixture, JobOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                restoreFrom(SavepointFixtures.committed(build, fixture)));
        ModelcastJob.configure(env, options);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options)).records(),
                ModelcastJob.modelFiles(env, options));
        // Through a step of its own, so the collect sink is not the fixture writer's and none of its
        // state (results it had buffered) is restored into it.
        Collected<Result> scored = Collected.of(outputs.scored().map(result -> result).returns(Result.class)
                .uid("restored-results").name("Restored results"), "scored");
        JobClient job = env.executeAsync("restored-" + fixture);
        scored.start();
        return new Run(job, scored);
    }

    private static Configuration restoreFrom(Path savepoint) {
        Configuration configuration = new Configuration();
        configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
        // The fixture writer's collect sink has no uid; the job's own operators all have one (GraphTest).
        configuration.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        return configuration;
    }

    private static Properties observed(String fixture) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(SavepointFixtures.committed(fixture).resolve("fixture.properties"),
                StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return KafkaTestSupport.text(record.headers().lastHeader(name).value());
    }
}
