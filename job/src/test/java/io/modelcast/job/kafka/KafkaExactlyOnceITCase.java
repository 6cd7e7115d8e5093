package io.modelcast.job.kafka;

import io.modelcast.job.JobArguments;
import static io.modelcast.job.kafka.KafkaTestSupport.header;
import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.kafka.KafkaTestSupport.Sent;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Restarts;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Exactly once across failures and restarts, on a real broker: an operator that throws once and a
 * TaskManager that goes away while records flow, and a stop with a savepoint and a restore after
 * the model files were deleted. Afterwards every input offset has exactly one committed result (or
 * dead letter, and one preprocessed record), and the model in use is the one published before,
 * restored from checkpointed broadcast state.
 */
class KafkaExactlyOnceITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 2;

    /** Flipped by the first record of the failure batch that reaches the failing operator. */
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** Two TaskManagers, with the job's slots spread over both, so losing one always hits the job. */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(spreadOutSlots())
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir Path models;
    @TempDir Path savepoints;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s1 = KafkaTestSupport.uniqueTopic("s1");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("dlq");
    private JobClient job;
    private KafkaTestSupport kafka;

    @BeforeEach
    void createTopics() throws Exception {
        KAFKA.createTopics(Map.of(s0, PARTITIONS, s1, 1, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
    }

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
    void everyOffsetHasExactlyOneResultAfterAnOperatorFailureAndATaskManagerLoss(
            @InjectMiniCluster MiniCluster cluster, @InjectClusterRESTAddress URI rest) throws Exception {
        FAILED_ONCE.set(false);
        job = startJob(new Configuration(), true);
        List<Sent> sent = scoreWithVersionOneThenTwo();
        int beforeFailures = sent.size();

        // Failure 1: an operator throws on the first record of this batch.
        List<Sent> bad = new ArrayList<>();
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "fail", 0, 300));
        bad.addAll(sendBad("fail-bad", 20));
        Await.until("the operator has thrown", TIMEOUT, FAILED_ONCE::get);
        awaitRestarts(rest, 1);
        awaitResultsFor(sent);

        // Failure 2: a TaskManager goes away while records flow; another one takes its place.
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "tm", 0, 300));
        bad.addAll(sendBad("tm-bad", 20));
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        awaitRestarts(rest, 2);
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "after", 0, 300));
        bad.addAll(sendBad("after-bad", 20));
        List<ConsumerRecord<byte[], byte[]>> results = awaitResultsFor(sent);

        assertExactlyOneResultPerOffset(results, sent);
        assertExactlyOnePerOffset(kafka.readCommittedUntil(deadLetters, TIMEOUT, read -> keysIn(read).containsAll(keys(bad))),
                bad, r -> header(r, KafkaSerializers.SOURCE_PARTITION_HEADER) + "@" + header(r, KafkaSerializers.SOURCE_OFFSET_HEADER),
                "dead letters per bad input");
        assertExactlyOnePerOffset(kafka.readCommittedUntil(s1, TIMEOUT, read -> keysIn(read).containsAll(keys(sent))),
                sent, r -> json(r).get("partition").asInt() + "@" + json(r).get("offset").asLong(),
                "preprocessed records per valid input");
        Set<String> afterVersion2 = sent.subList(beforeFailures, sent.size()).stream().map(Sent::key).collect(Collectors.toSet());
        assertThat(results)
                .filteredOn(r -> afterVersion2.contains(text(r.key())))
                .as("results of inputs sent after version 2 was in use")
                .hasSize(afterVersion2.size())
                .allSatisfy(r -> assertThat(json(r).get("modelVersion").asLong()).isEqualTo(2));
    }

    @Test
    void aJobRestoredFromASavepointScoresWithItsModelAfterTheModelFilesAreGone() throws Exception {
        job = startJob(new Configuration(), false);
        List<Sent> sent = scoreWithVersionOneThenTwo();

        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(models)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        List<Sent> whileStopped = kafka.sendNumbers(s0, PARTITIONS, "stopped", 0, 200);
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job = startJob(restore, false);
        sent.addAll(whileStopped);
        List<Sent> afterRestore = kafka.sendNumbers(s0, PARTITIONS, "restored", 0, 200);
        sent.addAll(afterRestore);
        List<ConsumerRecord<byte[], byte[]>> results = awaitResultsFor(sent);

        assertExactlyOneResultPerOffset(results, sent);
        Set<String> newKeys = new HashSet<>();
        whileStopped.forEach(s -> newKeys.add(s.key()));
        afterRestore.forEach(s -> newKeys.add(s.key()));
        assertThat(results)
                .filteredOn(r -> newKeys.contains(text(r.key())))
                .as("results after the restore, with no model file left")
                .hasSize(newKeys.size())
                .allSatisfy(r -> assertThat(json(r).get("modelVersion").asLong()).isEqualTo(2));
    }

    /** Publishes version 1, scores a batch, publishes version 2 and waits until both subtasks use it. */
    private List<Sent> scoreWithVersionOneThenTwo() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        List<Sent> sent = new ArrayList<>(kafka.sendNumbers(s0, PARTITIONS, "a", 0, 200));
        awaitResultsFor(sent);
        directory.publish(newest -> new CustomModel(false), warning -> {});
        int probe = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!bothSubtasksScoredWith(2, sent)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("model version 2 did not reach both scoring subtasks in " + TIMEOUT.toSeconds() + " s");
            }
            sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "probe", probe, 20));
            probe += 20;
        }
        return sent;
    }

    private static void assertExactlyOneResultPerOffset(List<ConsumerRecord<byte[], byte[]>> results, List<Sent> sent) {
        assertExactlyOnePerOffset(results, sent,
                r -> json(r).get("partition").asInt() + "@" + json(r).get("offset").asLong(), "results per offset");
    }

    /** Each input offset in {@code sent} has exactly one record in {@code records}, and no other offset has any. */
    private static void assertExactlyOnePerOffset(List<ConsumerRecord<byte[], byte[]>> records, List<Sent> sent,
            Function<ConsumerRecord<byte[], byte[]>, String> inputOffsetOf, String what) {
        Map<String, Integer> perOffset = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            perOffset.merge(inputOffsetOf.apply(record), 1, Integer::sum);
        }
        Set<String> inputOffsets = sent.stream().map(s -> s.partition() + "@" + s.offset()).collect(Collectors.toSet());
        assertThat(perOffset.keySet()).as("input offsets: " + what).isEqualTo(inputOffsets);
        assertThat(perOffset.values()).as(what).containsOnly(1);
    }

    private List<Sent> sendBad(String keyPrefix, int count) {
        List<Sent> bad = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bad.add(kafka.send(s0, i % PARTITIONS, keyPrefix + i, KafkaTestSupport.utf8("not a number " + i)));
        }
        return bad;
    }

    private static Set<String> keys(List<Sent> sent) {
        return sent.stream().map(Sent::key).collect(Collectors.toSet());
    }

    private static Set<String> keysIn(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> text(r.key())).collect(Collectors.toSet());
    }

    private void awaitRestarts(URI rest, long restarts) throws InterruptedException {
        Restarts.await(rest, job.getJobID(), restarts, TIMEOUT);
    }

    private static Configuration spreadOutSlots() {
        Configuration configuration = new Configuration();
        configuration.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        return configuration;
    }

    private List<ConsumerRecord<byte[], byte[]>> awaitResultsFor(List<Sent> sent) {
        Set<String> keys = sent.stream().map(Sent::key).collect(Collectors.toSet());
        return kafka.readCommittedUntil(s2, TIMEOUT, read -> KafkaTestSupport.containsKeys(read, keys));
    }

    private boolean bothSubtasksScoredWith(long version, List<Sent> sent) {
        List<ConsumerRecord<byte[], byte[]>> results = awaitResultsFor(sent);
        Set<Integer> subtasks = results.stream()
                .filter(r -> json(r).get("modelVersion").asLong() == version)
                .map(r -> json(r).get("subtask").asInt())
                .collect(Collectors.toSet());
        return subtasks.containsAll(IntStream.range(0, PARTITIONS).boxed().toList());
    }

    /** The production graph, from {@code configuration}; with {@code failOnce}, an operator before the sink throws once. */
    private JobClient startJob(Configuration configuration, boolean failOnce) throws Exception {
        Restarts.quickly(configuration, 20);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(PARTITIONS);
        String group = "test-" + s0;
        JobOptions options = JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--preprocessed-topic", s1,
                "--group-id", group, "--starting-offsets", "earliest", "--models", models.toString(),
                "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms");

        if (!failOnce) {
            ModelcastJob.build(env, options);
            return env.executeAsync("kafka-savepoint");
        }
        // The production graph (as ModelcastJob.build makes it), with a failing operator before the sink.
        env.enableCheckpointing(options.checkpointInterval().toMillis());
        DataStream<ModelFileBytes> modelFiles = ModelcastJob.modelFiles(env, options);
        KafkaPipeline.Outputs outputs = KafkaPipeline.define(env, options, modelFiles);
        DataStream<Result> failingOnce = outputs.scoring().scored().map(new FailOnFirstKey("fail0")).uid("inject-failure");
        KafkaPipeline.write(outputs.withScoring(outputs.scoring().withScored(failingOnce)), options);
        return env.executeAsync("kafka-exactly-once");
    }

    /** Throws on the first record with a given key, once per test run. */
    private static final class FailOnFirstKey implements MapFunction<Result, Result> {
        private final String key;

        FailOnFirstKey(String key) {
            this.key = key;
        }

        @Override
        public Result map(Result record) {
            if (key.equals(text(record.origin().key)) && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure on " + record.origin());
            }
            return record;
        }
    }
}
