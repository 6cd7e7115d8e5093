package io.modelcast.job.kafka;

import static io.modelcast.job.kafka.KafkaTestSupport.json;
import static io.modelcast.job.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.testing.CapturedLogs;
import io.modelcast.job.ModelcastJob;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The job on a secured broker: the test broker's SASL_PLAINTEXT listener, with the user and password
 * kafka-local wrote to its client settings file, passed as {@code --kafka-properties}. Records go in
 * and results come out through the tests' own PLAINTEXT clients.
 */
class KafkaSaslITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path models;
    @TempDir Path settings;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
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
    void theJobReadsAndWritesThroughTheSaslListenerWithTheSettingsFile() throws Exception {
        KAFKA.createTopics(Map.of(s0, 1, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        kafka.send(s0, 0, "seven", utf8("7"));
        String password = password(Files.readString(KAFKA.saslClientProperties()));

        List<String> logs;
        String shown;
        try (CapturedLogs captured = CapturedLogs.start()) {
            JobOptions options = saslJob(KAFKA.saslClientProperties());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            ModelcastJob.build(env, options);
            // What the web UI shows of a job: its plan (operator names and descriptions) and configuration.
            shown = options + "\n" + env.getExecutionPlan() + "\n" + env.getConfiguration() + "\n" + env.getConfig();
            job = env.executeAsync("kafka-sasl");

            List<ConsumerRecord<byte[], byte[]>> results = kafka.readCommittedUntil(s2, TIMEOUT, read -> !read.isEmpty());
            assertThat(results).singleElement().satisfies(result -> {
                assertThat(KafkaTestSupport.text(result.key())).isEqualTo("seven");
                assertThat(json(result).get("output").asText()).isEqualTo("070707");
            });
            logs = captured.lines();
        }

        assertThat(logs).as("the Kafka clients' configuration dumps were captured")
                .anyMatch(line -> line.contains("sasl.jaas.config = [hidden]"));
        assertThat(logs).as("log lines showing the password").noneMatch(line -> line.contains(password));
        assertThat(shown).contains("sasl.jaas.config").doesNotContain(password);
    }

    @Test
    void aWrongPasswordFailsTheSubmissionOnceWithAMessageThatDoesNotShowIt() throws Exception {
        KAFKA.createTopics(Map.of(s0, 1, s2, 1, deadLetters, 1));
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        String right = Files.readString(KAFKA.saslClientProperties());
        Path wrong = Files.writeString(settings.resolve("wrong.properties"),
                right.replaceAll("password=\"[^\"]*\"", "password=\"not-the-password\""));

        try (CapturedLogs captured = CapturedLogs.start()) {
            assertThatThrownBy(() -> startJob(saslJob(wrong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot reach Kafka at " + KAFKA.saslBootstrapServers())
                    .hasMessageContaining("Authentication failed")
                    .hasMessageNotContaining("not-the-password");
            assertThat(captured.lines()).as("log lines showing the password").noneMatch(line -> line.contains("not-the-password"));
        }
    }

    private static String password(String clientSettings) {
        Matcher matcher = Pattern.compile("password=\"([^\"]+)\"").matcher(clientSettings);
        assertThat(matcher.find()).as("the client settings hold a password").isTrue();
        return matcher.group(1);
    }

    private JobOptions saslJob(Path clientSettings) {
        return JobArguments.parse(new String[] {"--source", "kafka", "--bootstrap-servers", KAFKA.saslBootstrapServers(),
                "--kafka-properties", clientSettings.toString(), "--input-topic", s0, "--output-topic", s2,
                "--dead-letter-topic", deadLetters, "--group-id", "test-" + s0, "--starting-offsets", "earliest",
                "--models", models.toString(), "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms"});
    }

    private static JobClient startJob(JobOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ModelcastJob.build(env, options);
        return env.executeAsync("kafka-sasl");
    }
}
