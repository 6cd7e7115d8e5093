package io.modelcast.job.upgrade;

import static io.modelcast.job.upgrade.SavepointFixtures.HELD_LINES;
import static io.modelcast.job.upgrade.SavepointFixtures.INPUTS_PER_PARTITION;
import static io.modelcast.job.upgrade.SavepointFixtures.PARTITIONS;

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
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.job.testing.NumberServer;
import io.modelcast.job.testing.SilentServer;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the savepoint fixtures that {@link SavepointRestoreITCase} restores. Not part of the
 * suite: run it with the build whose state you want to pin, before changing anything that is
 * checkpointed, and commit what it writes:
 *
 * <pre>
 * mvn -pl job -am verify -Dtest=SavepointFixtureWriter -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=none -Dmodelcast.fixtures=$PWD/job/src/test/resources/savepoints/&lt;build&gt;
 * </pre>
 */
@EnabledIfSystemProperty(named = "modelcast.fixtures", matches = ".+")
class SavepointFixtureWriter {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path models;
    @TempDir Path savepoints;

    private static Path out(String fixture) throws IOException {
        Path dir = Path.of(System.getProperty("modelcast.fixtures")).resolve(fixture);
        Files.createDirectories(dir);
        return dir;
    }

    @Test
    void socketJobHoldingRecordsWithoutAModel(@InjectClusterRESTAddress URI rest) throws Exception {
        try (FixedLinesServer lines = new FixedLinesServer(HELD_LINES)) {
            JobOptions options = SavepointFixtures.socketOptions(lines.port(), models.toUri());
            Run run = startSocketJob(options);
            Await.until("every line is held", TIMEOUT, () -> heldRecords(rest, run.job) == HELD_LINES.size());
            String savepoint = stop(run.job);
            run.scored.close();
            write(savepoint, SavepointFixtures.SOCKET_PENDING, Map.of("held", Integer.toString(HELD_LINES.size())));
        }
    }

    @Test
    void socketJobScoringWithModelVersionTwo() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publish(newest -> new CustomModel(false), warning -> {});
        try (NumberServer numbers = new NumberServer()) {
            Run run = startSocketJob(SavepointFixtures.socketOptions(numbers.port(), models.toUri()));
            Await.until("both subtasks score with version 2", TIMEOUT, () -> run.scored.snapshot().stream()
                    .filter(r -> r.modelVersion() == 2).map(r -> r.subtask()).collect(Collectors.toSet()).size()
                    == SavepointFixtures.SCORING_PARALLELISM);
            String savepoint = stop(run.job);
            run.scored.close();
            write(savepoint, SavepointFixtures.SOCKET_MODEL, Map.of("modelVersion", "2"));
        }
    }

    @Test
    void socketJobWithACanaryChallenger() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("canary:50"),
                new Rollout.Policy(1_000_000, 0.01, 0.25), warning -> {});
        try (NumberServer numbers = new NumberServer()) {
            Run run = startSocketJob(SavepointFixtures.socketOptions(numbers.port(), models.toUri()));
            Await.until("both subtasks score canaries with version 2", TIMEOUT, () -> run.scored.snapshot().stream()
                    .filter(r -> r.role() == Result.Role.CANARY && r.modelVersion() == 2).map(r -> r.subtask())
                    .collect(Collectors.toSet()).size() == SavepointFixtures.SCORING_PARALLELISM);
            String savepoint = stop(run.job);
            run.scored.close();
            write(savepoint, SavepointFixtures.SOCKET_CANARY, Map.of("championVersion", "1", "challengerVersion", "2",
                    "rollout", "canary:50", "promoteAfter", "1000000"));
        }
    }

    @Test
    void socketJobWithRemoteCallsInFlight() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        try (SilentServer silent = new SilentServer();
                FixedLinesServer lines = new FixedLinesServer(SavepointFixtures.IN_FLIGHT_LINES)) {
            directory.publish(newest -> new RemoteModel(URI.create("http://127.0.0.1:" + silent.port()), "seed",
                    OptionalLong.empty(), Duration.ofSeconds(60), 0, RemoteModel.OnFailure.FALLBACK, OptionalLong.of(1), 0.5),
                    warning -> {});
            Run run = startSocketJob(SavepointFixtures.remoteOptions(lines.port(), models.toUri()));
            Await.until("every line's call is in flight", TIMEOUT,
                    () -> silent.requests() == SavepointFixtures.IN_FLIGHT_LINES.size());
            String savepoint = stop(run.job);
            run.scored.close();
            write(savepoint, SavepointFixtures.SOCKET_REMOTE_IN_FLIGHT,
                    Map.of("inFlight", Integer.toString(silent.requests()), "pointerVersion", "2", "fallbackVersion", "1"));
        }
    }

    @Test
    void kafkaJobStoppedWhileInputsArrive() throws Exception {
        KAFKA.createTopics(Map.of(SavepointFixtures.INPUT_TOPIC, PARTITIONS, SavepointFixtures.OUTPUT_TOPIC, 1,
                SavepointFixtures.DEAD_LETTER_TOPIC, 1));
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        try (KafkaTestSupport kafka = new KafkaTestSupport(KAFKA)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(PARTITIONS);
            ModelcastJob.build(env, SavepointFixtures.kafkaOptions(KAFKA.bootstrapServers(), models.toUri(), Delivery.AT_LEAST_ONCE));
            JobClient job = env.executeAsync("fixture-kafka");
            Thread producer = new Thread(() -> produce(kafka), "fixture-producer");
            producer.start();
            KafkaTestSupport.readCommittedUntil(KAFKA, SavepointFixtures.OUTPUT_TOPIC, TIMEOUT, read -> read.size() >= 1_000);
            String savepoint = stop(job);
            producer.join(TimeUnit.MINUTES.toMillis(2));

            Map<Integer, Long> next = nextOffsets(kafka);
            Map<String, String> observed = new TreeMap<>();
            next.forEach((partition, offset) -> observed.put("nextOffset." + partition, Long.toString(offset)));
            observed.put("modelVersion", "1");
            write(savepoint, SavepointFixtures.KAFKA_MIDSTREAM, observed);
        }
    }

    private static void produce(KafkaTestSupport kafka) {
        for (long offset = 0; offset < INPUTS_PER_PARTITION; offset++) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                kafka.send(SavepointFixtures.INPUT_TOPIC, partition, SavepointFixtures.key(partition, offset),
                        KafkaTestSupport.utf8(SavepointFixtures.input(partition, offset)));
            }
        }
    }

    /**
     * The first offset of each partition without committed output, after checking that every offset
     * before it has exactly one result or dead letter.
     */
    private static Map<Integer, Long> nextOffsets(KafkaTestSupport kafka) {
        // Waiting for records that must be there: a consumer knows the topic's end only once it has polled.
        Map<String, Integer> outputs = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> result : KafkaTestSupport.readCommittedUntil(
                KAFKA, SavepointFixtures.OUTPUT_TOPIC, TIMEOUT, read -> read.size() >= 1_000)) {
            outputs.merge(KafkaTestSupport.json(result).get("partition").asInt() + "@"
                    + KafkaTestSupport.json(result).get("offset").asLong(), 1, Integer::sum);
        }
        for (ConsumerRecord<byte[], byte[]> dead : KafkaTestSupport.readCommittedUntil(
                KAFKA, SavepointFixtures.DEAD_LETTER_TOPIC, TIMEOUT, read -> !read.isEmpty())) {
            outputs.merge(header(dead, KafkaSerializers.SOURCE_PARTITION_HEADER) + "@"
                    + header(dead, KafkaSerializers.SOURCE_OFFSET_HEADER), 1, Integer::sum);
        }
        Map<Integer, Long> next = new TreeMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            long offset = 0;
            while (outputs.containsKey(partition + "@" + offset)) {
                offset++;
            }
            next.put(partition, offset);
        }
        Set<String> expected = next.entrySet().stream()
                .flatMap(e -> Stream.iterate(0L, o -> o < e.getValue(), o -> o + 1).map(o -> e.getKey() + "@" + o))
                .collect(Collectors.toSet());
        if (!outputs.keySet().equals(expected) || outputs.values().stream().anyMatch(n -> n != 1)) {
            throw new AssertionError("the fixture run's output is not one per offset up to " + next);
        }
        return next;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return KafkaTestSupport.text(record.headers().lastHeader(name).value());
    }

    private record Run(JobClient job, Collected<Result> scored) {}

    private static Run startSocketJob(JobOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.configure(env, options);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options)).records(),
                ModelcastJob.modelFiles(env, options));
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        JobClient job = env.executeAsync("fixture-socket");
        scored.start();
        return new Run(job, scored);
    }

    private static long heldRecords(URI rest, JobClient job) {
        try {
            return JobMetrics.operatorMetric(rest, job.getJobID(), "recordsPending").values().stream()
                    .mapToLong(Double::longValue).sum();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String stop(JobClient job) throws Exception {
        return job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    /** Copies the savepoint's files and writes what the run observed beside them. */
    private static void write(String savepoint, String fixture, Map<String, String> observed) throws IOException {
        Path target = out(fixture);
        Path source = Path.of(URI.create(savepoint));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Properties properties = new Properties();
        properties.putAll(observed);
        try (Writer writer = Files.newBufferedWriter(target.resolve("fixture.properties"), StandardCharsets.UTF_8)) {
            properties.store(writer, "Observed by SavepointFixtureWriter when it wrote this savepoint");
        }
    }
}
