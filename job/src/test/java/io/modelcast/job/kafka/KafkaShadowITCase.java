package io.modelcast.job.kafka;

import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.kafka.KafkaTestSupport.Sent;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.job.testing.Restarts;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
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

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A shadow rollout through Kafka, exactly once: across a TaskManager that goes away while records
 * flow, the shadow topic holds exactly one line per input offset — both models' outputs and
 * versions — as the results topic holds exactly one result. (Records scored before the challenger
 * is in have no shadow line, so the test starts sending once it is in on every subtask.)
 */
class KafkaShadowITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 2;

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

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("dlq");
    private final String shadow = KafkaTestSupport.uniqueTopic("shadow");
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
    void theShadowTopicHasExactlyOneLinePerInputAcrossATaskManagerLoss(
            @InjectMiniCluster MiniCluster cluster, @InjectClusterRESTAddress URI rest) throws Exception {
        KAFKA.createTopics(Map.of(s0, PARTITIONS, s2, 1, deadLetters, 1, shadow, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                new Rollout.Policy(Long.MAX_VALUE, 1, 1), warning -> {});
        Configuration configuration = new Configuration();
        Restarts.quickly(configuration, 20);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(PARTITIONS);
        ModelcastJob.build(env, JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--shadow-topic", shadow,
                "--group-id", "test-" + s0, "--starting-offsets", "earliest", "--models", models.toString(),
                "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms"));
        job = env.executeAsync("kafka-shadow");
        // A record scored before the challenger is in has no shadow line: start once it is, everywhere.
        Await.until("champion and challenger on both scoring subtasks", TIMEOUT, () -> swapsOnEverySubtask(rest) >= 2);

        List<Sent> sent = new ArrayList<>(kafka.sendNumbers(s0, PARTITIONS, "before", 0, 300));
        awaitResultsFor(sent);
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "tm", 0, 300));
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        Restarts.await(rest, job.getJobID(), 1, TIMEOUT);
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "after", 0, 300));
        List<ConsumerRecord<byte[], byte[]>> results = awaitResultsFor(sent);
        Set<String> offsets = sent.stream().map(x -> x.partition() + "@" + x.offset()).collect(Collectors.toSet());
        List<ConsumerRecord<byte[], byte[]>> lines = kafka.readCommittedUntil(shadow, TIMEOUT,
                read -> offsetsOf(read).keySet().containsAll(offsets));

        assertThat(offsetsOf(results).keySet()).isEqualTo(offsets);
        assertThat(offsetsOf(results).values()).as("one result per input").containsOnly(1);
        assertThat(offsetsOf(lines).keySet()).isEqualTo(offsets);
        assertThat(offsetsOf(lines).values()).as("one shadow line per input").containsOnly(1);
        assertThat(lines).allSatisfy(r -> {
            JsonNode line = json(r);
            assertThat(line.get("championVersion").asLong()).isEqualTo(1);
            assertThat(line.get("challengerVersion").asLong()).isEqualTo(2);
            long input = Long.parseLong(line.get("input").asText());
            assertThat(line.get("championOutput").asText()).isEqualTo(new CustomModel(true).transform(input));
            assertThat(line.get("challengerOutput").asText()).isEqualTo(new CustomModel(false).transform(input));
        });
    }

    /** The fewest models any scoring subtask has applied (0 until every subtask reports). */
    private double swapsOnEverySubtask(URI rest) {
        try {
            Map<Integer, Double> swaps = JobMetrics.operatorMetric(rest, job.getJobID(), "modelSwaps");
            return swaps.size() < PARTITIONS ? 0 : swaps.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** How many records name each input offset. */
    private static Map<String, Integer> offsetsOf(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            counts.merge(json(record).get("partition").asInt() + "@" + json(record).get("offset").asLong(), 1, Integer::sum);
        }
        return counts;
    }

    private List<ConsumerRecord<byte[], byte[]>> awaitResultsFor(List<Sent> sent) {
        Set<String> keys = sent.stream().map(Sent::key).collect(Collectors.toSet());
        return kafka.readCommittedUntil(s2, TIMEOUT, read -> KafkaTestSupport.containsKeys(read, keys));
    }

    private static Configuration spreadOutSlots() {
        Configuration configuration = new Configuration();
        configuration.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        configuration.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        return configuration;
    }
}
