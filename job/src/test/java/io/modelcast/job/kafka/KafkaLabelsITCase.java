package io.modelcast.job.kafka;

import static io.modelcast.job.kafka.KafkaTestSupport.header;
import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.text;
import static io.modelcast.job.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.job.JobArguments;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.labels.EvaluationFigures;
import io.modelcast.job.labels.LabelledPrediction;
import io.modelcast.job.labels.Prediction;
import io.modelcast.job.testing.Uids;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.LogisticModel;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels on a real broker: results of records keyed by id, labels on {@code --label-topic} (keyed,
 * or with the id in the value), the evaluation on {@code --eval-topic} matching the figures of the
 * results and labels, and a label that is not JSON on the dead-letter topic with its reason.
 */
class KafkaLabelsITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final LogisticModel MODEL = new LogisticModel(new double[] {1.0, -1.0}, 0, 0.5, null);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path models;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("dead-letters");
    private final String labels = KafkaTestSupport.uniqueTopic("labels");
    private final String evaluations = KafkaTestSupport.uniqueTopic("evaluations");
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
    void labelsFromATopicEvaluateTheModelAndBecomeOneExampleEach() throws Exception {
        KAFKA.createTopics(Map.of(s0, 2, s2, 1, deadLetters, 1, labels, 2, evaluations, 1, examples, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory.open(models).publish(newest -> MODEL, warning -> {});
        int records = 400;
        for (int i = 0; i < records; i++) {
            kafka.send(s0, i % 2, "r-" + i, utf8("{\"features\":[" + (i % 7 - 3) + "," + (i % 5 - 2) + "]}"));
        }
        job = start();

        List<ConsumerRecord<byte[], byte[]>> results = kafka.readCommittedUntil(s2, TIMEOUT, read -> read.size() >= records);
        EvaluationFigures expected = new EvaluationFigures();
        for (ConsumerRecord<byte[], byte[]> result : results) {
            String id = text(result.key());
            int label = Integer.parseInt(id.substring(2)) % 3 == 0 ? 1 : 0;
            JsonNode value = json(result);
            // Half the labels keyed by id, half with the id in the value.
            if (label == 1 || id.hashCode() % 2 == 0) {
                kafka.send(labels, 0, id, utf8("{\"label\":" + label + "}"));
            } else {
                kafka.send(labels, 1, null, utf8("{\"id\":\"" + id + "\",\"label\":" + label + "}"));
            }
            expected.add(new LabelledPrediction(new Prediction(id, "default", 1, "only", value.get("score").asDouble(),
                    value.get("label").asInt()), label));
        }
        kafka.send(labels, 0, "r-1", utf8("not json"));

        List<ConsumerRecord<byte[], byte[]>> evaluated = kafka.readCommittedUntil(evaluations, TIMEOUT,
                read -> read.stream().mapToLong(r -> json(r).get("labelled").asLong()).sum() >= records);
        long labelled = evaluated.stream().mapToLong(r -> json(r).get("labelled").asLong()).sum();
        assertThat(labelled).isEqualTo(records);
        assertThat(evaluated).allSatisfy(r -> {
            assertThat(json(r).get("model").asText()).isEqualTo("default");
            assertThat(json(r).get("modelVersion").asLong()).isEqualTo(1);
        });
        double accuracy = evaluated.stream().mapToDouble(r -> json(r).get("accuracy").asDouble() * json(r).get("labelled").asLong())
                .sum() / labelled;
        assertThat(accuracy).isCloseTo(expected.accuracy(), within(1e-9));

        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommittedUntil(deadLetters, TIMEOUT, read -> !read.isEmpty());
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(text(letter.value())).isEqualTo("not json");
            assertThat(header(letter, KafkaSerializers.REASON_HEADER)).startsWith("bad label: ").contains("not JSON");
            assertThat(header(letter, KafkaSerializers.SOURCE_TOPIC_HEADER)).isEqualTo(labels);
        });
        List<ConsumerRecord<byte[], byte[]>> written = kafka.readCommittedUntil(examples, TIMEOUT, read -> read.size() >= records);
        assertThat(written).as("one example per labelled record").hasSize(records);
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> example : written) {
            JsonNode node = json(example);
            assertThat(byId.put(node.get("id").asText(), node)).isNull();
        }
        assertThat(byId.values()).allSatisfy(node -> {
            int i = Integer.parseInt(node.get("id").asText().substring(2));
            assertThat(node.get("features").get(0).asDouble()).isEqualTo(i % 7 - 3);
            assertThat(node.get("features").get(1).asDouble()).isEqualTo(i % 5 - 2);
            assertThat(node.get("label").asInt()).isEqualTo(i % 3 == 0 ? 1 : 0);
            assertThat(node.get("modelVersion").asLong()).isEqualTo(1);
        });
        if (evaluated.size() == 1) {
            assertThat(json(evaluated.get(0)).get("auc").asDouble()).isCloseTo(expected.auc(), within(1e-9));
        }
    }

    private JobClient start() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ModelcastJob.build(env, JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters, "--group-id", "test-" + s0,
                "--starting-offsets", "earliest", "--models", models.toString(), "--input-format", "json",
                "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms", "--label-topic", labels,
                "--eval-topic", evaluations, "--eval-window", "2s", "--label-wait", "1m", "--examples-topic", examples));
        assertThat(Uids.missingIn(env)).as("operators of the Kafka job without a uid").isEmpty();
        return env.executeAsync("kafka-labels");
    }
}
