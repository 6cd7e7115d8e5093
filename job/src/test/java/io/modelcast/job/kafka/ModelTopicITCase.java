package io.modelcast.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Models on a Kafka topic (--model-topic), on a real broker, with the socket path's scoring at
 * parallelism 4 on a MiniCluster: published versions reach every subtask; records that are not
 * model files are rejected with their reasons and offsets while the model in use keeps scoring; a
 * job restored from a savepoint goes on from the topic's offsets in it and applies nothing twice;
 * a job starting over 10,000 versions applies only the newest.
 */
class ModelTopicITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final int SCORERS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ModelFileCodec CODEC = new ModelFileCodec();

    @TempDir Path savepoints;

    private final String topic = KafkaBrokerExtension.uniqueTopic("models");
    private final List<Run> runs = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;

    @AfterEach
    void stop() throws Exception {
        for (Run run : runs) {
            run.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void aVersionPublishedToTheTopicIsAppliedByEverySubtask() throws Exception {
        KAFKA.createTopics(Map.of(topic, 1));
        publish("default", model(1, true));
        Run run = start(new Configuration());
        Subtasks.awaitAllScoreWith(run.scored, SCORERS, 1, TIMEOUT);

        publish("default", model(2, false));
        Subtasks.awaitAllScoreWith(run.scored, SCORERS, 2, TIMEOUT);

        assertThat(run.scored.snapshot()).allSatisfy(r -> assertThat(r.output())
                .isEqualTo(new CustomModel(r.modelVersion() == 1).transform(Long.parseLong(r.input()))));
        assertThat(run.rejected.snapshot()).isEmpty();
    }

    @Test
    void recordsThatAreNotModelFilesAreRejectedWithReasonAndOffsetWhileTheModelKeepsScoring() throws Exception {
        KAFKA.createTopics(Map.of(topic, 1));
        publish("default", model(1, true));
        Run run = start(new Configuration(), "--max-model-bytes", "4KiB");
        Subtasks.awaitAllScoreWith(run.scored, SCORERS, 1, TIMEOUT);

        byte[] whole = model(2, false);
        publish("default", "this is not a model".getBytes(StandardCharsets.UTF_8));
        publish("default", Arrays.copyOf(whole, whole.length / 2));
        byte[] oversized = new byte[8192];
        Arrays.fill(oversized, (byte) ' ');
        publish("default", oversized);
        publish(null, whole);

        Await.until("four rejected records", TIMEOUT, () -> run.rejected.size() >= 4);
        assertThat(run.rejected.snapshot()).extracting(r -> r.file + " " + r.reason).containsExactly(
                "kafka:" + topic + "/0@1 BAD_JSON", "kafka:" + topic + "/0@2 BAD_JSON", "kafka:" + topic + "/0@3 TOO_LARGE",
                "kafka:" + topic + "/0@4 UNREADABLE");
        int seen = run.scored.size();
        Await.until("200 more records are scored", TIMEOUT, () -> run.scored.size() >= seen + 200);
        assertThat(run.scored.snapshot()).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(1));

        publish("default", whole);
        Subtasks.awaitAllScoreWith(run.scored, SCORERS, 2, TIMEOUT);
    }

    @Test
    void aJobRestoredFromASavepointGoesOnFromItsOffsetsAndAppliesNothingTwice() throws Exception {
        KAFKA.createTopics(Map.of(topic, 1));
        publish("default", model(1, true));
        publish("default", model(2, false));
        Run first = start(new Configuration());
        Subtasks.awaitAllScoreWith(first.scored, SCORERS, 2, TIMEOUT);
        String savepoint = first.job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        first.stopped();

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        Run second = start(restore);
        Await.until("the restored job scores 200 records", TIMEOUT, () -> second.scored.size() >= 200);
        assertThat(second.scored.snapshot()).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(2));

        publish("default", model(3, true));
        Subtasks.awaitAllScoreWith(second.scored, SCORERS, 3, TIMEOUT);
        assertThat(second.rejected.snapshot()).as("versions read again after the restore (NOT_NEWER)").isEmpty();
    }

    @Test
    void aJobStartingOverTenThousandVersionsAppliesOnlyTheNewest() throws Exception {
        int versions = 10_000;
        KAFKA.createTopics(Map.of(topic, 1));
        for (int version = 1; version <= versions; version++) {
            producer().send(new ProducerRecord<>(topic, utf8(version % 10 == 0 ? "other" : "default"), model(version, version % 2 == 0)));
        }
        producer().flush();

        long started = System.nanoTime();
        Run run = start(new Configuration());
        Subtasks.awaitAllScoreWith(run.scored, SCORERS, versions - 1, TIMEOUT);
        long millis = (System.nanoTime() - started) / 1_000_000;
        String savepoint = run.job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        long savepointBytes = size(Path.of(java.net.URI.create(savepoint)));
        System.out.printf("start-up over %d versions on the model topic: scoring with the newest after %d ms; savepoint %d bytes%n",
                versions, millis, savepointBytes);

        assertThat(run.scored.snapshot()).extracting(Result::modelVersion).containsOnly((long) versions - 1);
        assertThat(run.rejected.snapshot()).isEmpty();
        assertThat(savepointBytes).as("a savepoint holds offsets and the newest models, not the history").isLessThan(200_000);
    }

    private Run start(Configuration configuration, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--model-topic", topic, "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--parallelism", Integer.toString(SCORERS), "--model-store", "none"));
        args.addAll(List.of(extra));
        JobOptions options = JobArguments.parse(args.toArray(String[]::new));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.enableCheckpointing(500);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(GeneratedLines.numbers(env, 2_000)).records(), ModelcastJob.modelFiles(env, options));
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        Collected<RejectedModel> rejected = Collected.of(outputs.rejectedModels(), "rejected-models");
        JobClient job = env.executeAsync("model-topic");
        scored.start();
        rejected.start();
        Run run = new Run(job, scored, rejected);
        runs.add(run);
        return run;
    }

    private static final class Run implements AutoCloseable {
        final JobClient job;
        final Collected<Result> scored;
        final Collected<RejectedModel> rejected;
        private boolean running = true;

        Run(JobClient job, Collected<Result> scored, Collected<RejectedModel> rejected) {
            this.job = job;
            this.scored = scored;
            this.rejected = rejected;
        }

        void stopped() {
            running = false;
        }

        @Override
        public void close() throws Exception {
            if (running) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            scored.close();
            rejected.close();
        }
    }

    private void publish(String name, byte[] value) throws Exception {
        producer().send(new ProducerRecord<>(topic, name == null ? null : utf8(name), value)).get();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static byte[] model(long version, boolean cloned) {
        return CODEC.encode(ModelFile.create(version, Instant.now(), new CustomModel(cloned)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
