package io.modelcast.job.kafka;

import static io.modelcast.job.kafka.KafkaTestSupport.header;
import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.text;
import static io.modelcast.job.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.events.FeatureSpecs;
import io.modelcast.job.testing.Uids;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw events through Kafka, exactly once: each user's events keyed by the user (so a partition keeps
 * their order), their features computed in the job equal to the offline pass's, and bad events as
 * dead letters with the reason and their original bytes.
 */
class KafkaEventsITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 50;
    private static final int EVENTS = 1_000;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path models;

    private final String s0 = KafkaTestSupport.uniqueTopic("events");
    private final String s2 = KafkaTestSupport.uniqueTopic("scored");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("events-dead-letters");
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
    void eventsKeyedByUserAreScoredOnTheFeaturesTrainingComputesAndBadOnesBecomeDeadLetters() throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        FeatureSpecs.publish(ModelDirectory.open(models), FeatureSpecs.PURCHASES);
        List<String> events = new ArrayList<>();
        List<Event> read = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            int user = (i * 7) % USERS;
            String event = FeatureSpecs.purchase(i, 1_767_225_600_000L + 250L * i, user, (i % 37) + 0.5);
            events.add(event);
            read.add(Event.of(JSON.readTree(event), "ts"));
            kafka.send(s0, user % 2, "u" + user, utf8(event));
        }
        Map<String, String> bad = Map.of(
                "no-time", "{\"id\":\"x1\",\"user\":\"u1\",\"amount\":1}",
                "no-amount", "{\"id\":\"x2\",\"ts\":1767225600000,\"user\":\"u1\"}",
                "not-json", "{\"id\":");
        bad.forEach((key, value) -> kafka.send(s0, 0, key, utf8(value)));

        job = startJob();

        List<ConsumerRecord<byte[], byte[]>> results = kafka.readCommittedUntil(s2, TIMEOUT, r -> r.size() >= EVENTS);
        assertThat(results).hasSize(EVENTS);
        List<double[]> offline = FeatureComputer.offline(FeatureSpecs.PURCHASES, read);
        for (ConsumerRecord<byte[], byte[]> result : results) {
            JsonNode value = json(result);
            int i = Integer.parseInt(value.get("id").asText().substring(1));
            assertThat(text(result.key())).isEqualTo("u" + ((i * 7) % USERS));
            List<String> names = FeatureSpecs.PURCHASES.names();
            for (int f = 0; f < names.size(); f++) {
                assertThat(Float.parseFloat(value.get("features").get(names.get(f)).asText()))
                        .as("%s of event %d", names.get(f), i).isEqualTo((float) offline.get(i)[f]);
            }
        }

        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommittedUntil(deadLetters, TIMEOUT, r -> r.size() >= bad.size());
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(text(letter.value())).isEqualTo(bad.get(text(letter.key())));
            reasons.put(text(letter.key()), header(letter, KafkaSerializers.REASON_HEADER));
        }
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get("no-time")).isEqualTo("the event has no time field 'ts'");
        assertThat(reasons.get("no-amount")).isEqualTo("feature 'amount' reads 'amount', which the event does not have");
        assertThat(reasons.get("not-json")).startsWith("not valid JSON");
    }

    private JobClient startJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ModelcastJob.build(env, JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--group-id", "test-" + s0,
                "--starting-offsets", "earliest", "--models", models.toString(), "--checkpoint-interval", "500ms",
                "--model-poll-interval", "100ms", "--input-format", "events", "--emit-features"));
        assertThat(Uids.missingIn(env)).as("operators of the Kafka job without a uid").isEmpty();
        return env.executeAsync("kafka-events");
    }
}
