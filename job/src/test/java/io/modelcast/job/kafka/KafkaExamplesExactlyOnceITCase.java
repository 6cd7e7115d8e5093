package io.modelcast.job.kafka;

import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.testing.Restarts;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The examples topic exactly once across a TaskManager loss: labels arrive before and after a
 * TaskManager goes away (the join's waiting predictions come back from the checkpoint), and every
 * labelled record has exactly one committed example.
 */
class KafkaExamplesExactlyOnceITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int RECORDS = 600;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** Two TaskManagers, with the job's slots spread over both, so losing one always hits the job. */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(new Configuration().set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
                            TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS))
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir Path models;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("dlq");
    private final String labels = KafkaTestSupport.uniqueTopic("labels");
    private final String examples = KafkaTestSupport.uniqueTopic("examples");
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
    void everyLabelledRecordHasExactlyOneExampleAcrossATaskManagerLoss(@InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest) throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s2, 1, deadLetters, 1, labels, 2, examples, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory.open(models).publish(newest -> new LogisticModel(new double[] {1, -1}, 0, 0.5, null), warning -> {});
        for (int i = 0; i < RECORDS; i++) {
            kafka.send(s0, i % 2, "x-" + i, utf8("{\"features\":[" + (i % 7 - 3) + "," + (i % 5 - 2) + "]}"));
        }
        job = start();
        kafka.readCommittedUntil(s2, TIMEOUT, read -> read.size() >= RECORDS);

        sendLabels(0, RECORDS / 2);
        kafka.readCommittedUntil(examples, TIMEOUT, read -> read.size() >= RECORDS / 4);
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        Restarts.await(rest, job.getJobID(), 1, TIMEOUT);
        sendLabels(RECORDS / 2, RECORDS);

        List<ConsumerRecord<byte[], byte[]>> written = kafka.readCommittedUntil(examples, TIMEOUT, read -> read.size() >= RECORDS);
        Map<String, Integer> perId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> example : written) {
            perId.merge(json(example).get("id").asText(), 1, Integer::sum);
        }
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, RECORDS).mapToObj(i -> "x-" + i).toList());
        assertThat(perId.values()).as("examples per labelled record").containsOnly(1);
        assertThat(written).allSatisfy(example -> assertThat(json(example).get("label").asInt())
                .isEqualTo(Integer.parseInt(json(example).get("id").asText().substring(2)) % 2));
    }

    private void sendLabels(int from, int to) {
        for (int i = from; i < to; i++) {
            kafka.send(labels, i % 2, "x-" + i, utf8("{\"label\":" + (i % 2) + "}"));
        }
    }

    private JobClient start() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Restarts.quickly(new Configuration(), 20));
        env.setParallelism(2);
        ModelcastJob.build(env, JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--group-id", "test-" + s0,
                "--starting-offsets", "earliest", "--models", models.toString(), "--input-format", "json",
                "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms", "--label-topic", labels,
                "--label-wait", "5m", "--examples-topic", examples));
        return env.executeAsync("kafka-examples-exactly-once");
    }
}
