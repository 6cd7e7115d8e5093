package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.job.options.RemoteOptions.RemoteOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.time.Duration;
import java.util.Optional;

class JobArgumentsTest {

    private final StringWriter out = new StringWriter();

    private Optional<JobOptions> parse(String... args) {
        return JobArguments.parse(args, new PrintWriter(out, true));
    }

    @Test
    void defaultsNeedOnlyTheModelDirectory() {
        JobOptions options = parse("--models", "/data/models").orElseThrow();

        assertThat(options.socket().host()).isEqualTo("127.0.0.1");
        assertThat(options.socket().port()).isEqualTo(9999);
        assertThat(options.models().directory()).contains(URI.create("file:///data/models"));
        assertThat(options.models().topic()).isEmpty();
        assertThat(options.models().pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.scoring().parallelism()).isEmpty();
        assertThat(options.socket().outputFormat()).isEqualTo(OutputFormat.TEXT);
        assertThat(options.scoring().maxPending()).isEqualTo(100_000);
        assertThat(options.source()).isEqualTo(InputSource.SOCKET);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.models().maxModelBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(options.scoring().maxModelAge()).isEmpty();
        assertThat(options.scoring().inputFormat()).isEqualTo(InputFormat.INT);
        assertThat(options.scoring().batchSize()).isEqualTo(64);
        assertThat(options.kafka().batchTimeout()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void settingsOfEveryClientComeFromTheFileThenTheCommandLineUnderEachClientsOwn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "# as Kafka's own tools take them",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cret\";",
                "client.id=from-file", ""));
        KafkaOptions kafka = parse("--source", "kafka", "--models", "m", "--kafka-properties", file.toString(),
                "--kafka-property", "client.id=from-command-line", "--producer-property", "client.id=producers",
                "--consumer-property", "fetch.min.bytes=65536").orElseThrow().kafka();

        assertThat(kafka.clients().adminSettings()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("client.id", "from-command-line");
        assertThat(kafka.clients().consumerSettings()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("client.id", "from-command-line").containsEntry("fetch.min.bytes", "65536");
        assertThat(kafka.clients().producerSettings()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("client.id", "producers").containsEntry("linger.ms", "20");
        // The password is in the settings, and nowhere a log line or an error message could show it.
        assertThat(kafka.clients().adminSettings().get("sasl.jaas.config")).contains("s3cret");
        assertThat(kafka.toString()).doesNotContain("s3cret").contains("sasl.jaas.config");
    }

    @Test
    void clientSettingsFilesAndKeysThatCannotBeUsedAreRefusedWithoutShowingValues(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--kafka-properties", dir.resolve("none").toString()))
                .hasMessageContaining("--kafka-properties " + dir.resolve("none") + ": no such file");
        Path bad = Files.writeString(dir.resolve("bad.properties"), "sasl.password=s3cret\\u12");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--kafka-properties", bad.toString()))
                .hasMessageContaining("cannot read it as a properties file").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--kafka-property", "transaction.timeout.ms=60000"))
                .hasMessageContaining("--kafka-property (or --kafka-properties) transaction.timeout.ms: the job sets"
                        + " transaction.timeout.ms itself; use --transaction-timeout");
        Path own = Files.writeString(dir.resolve("own.properties"), "bootstrap.servers=elsewhere:9092\n");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--kafka-properties", own.toString()))
                .hasMessageContaining("use --bootstrap-servers");
    }

    @Test
    void rawEventsTakeTheirTimeFieldLatenessAndStateTtlAndOnlyTheyShowFeatures() {
        JobOptions events = JobArguments.parse("--models", "m", "--input-format", "events", "--time-field", "at",
                "--max-out-of-orderness", "30s", "--feature-state-ttl", "1d", "--emit-features");
        assertThat(events.events()).isEqualTo(new io.modelcast.job.options.EventOptions("at", Duration.ofSeconds(30), true,
                Duration.ofDays(1)));
        assertThat(JobArguments.parse("--models", "m").events()).isEqualTo(io.modelcast.job.options.EventOptions.defaults());
        assertThatThrownBy(() -> parse("--models", "m", "--input-format", "json", "--emit-features"))
                .hasMessageContaining("--emit-features shows features computed from raw events: add --input-format events");
        assertThatThrownBy(() -> parse("--models", "m", "--input-format", "events", "--label-port", "9998", "--examples-dir", "ex"))
                .hasMessageContaining("--examples-dir with --input-format events writes the features the job computed, which"
                        + " results carry with --emit-features: add it");
        assertThatThrownBy(() -> parse("--models", "m", "--input-format", "events", "--feature-state-ttl", "0s"))
                .hasMessageContaining("--feature-state-ttl must be longer than 0s");
    }

    @Test
    void theTransactionTimeoutBoundsTheCheckpointIntervalAndTheCheckpoints() {
        KafkaOptions kafka = parse("--source", "kafka", "--models", "m", "--transaction-timeout", "4m",
                "--checkpoint-interval", "2m").orElseThrow().kafka();
        assertThat(kafka.clients().transactionTimeout()).isEqualTo(Duration.ofMinutes(4));
        assertThat(kafka.clients().maxCheckpointDuration()).isEqualTo(Duration.ofSeconds(48));
        assertThat(parse("--source", "kafka", "--models", "m").orElseThrow().kafka().clients().transactionTimeout())
                .isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--transaction-timeout", "4m",
                "--checkpoint-interval", "3m"))
                .hasMessageContaining("--checkpoint-interval must be at most 2m with exactly-once delivery")
                .hasMessageContaining("time out after 4m (--transaction-timeout)");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--transaction-timeout", "5s"))
                .hasMessageContaining("--transaction-timeout must be at least 10s, was 5s");
    }

    @Test
    void producerSettingsGoOverTheJobsDefaultsAndTheJobsOwnSettingsAreRefused() {
        KafkaOptions kafka = parse("--source", "kafka", "--models", "m", "--producer-property", "linger.ms=0",
                "--producer-property", "acks=all", "--consumer-property", "fetch.min.bytes=65536").orElseThrow().kafka();

        assertThat(kafka.clients().producerSettings()).containsEntry("linger.ms", "0").containsEntry("acks", "all")
                .containsEntry("batch.size", "131072").containsEntry("compression.type", "lz4");
        assertThat(kafka.clients().consumerSettings()).containsExactly(java.util.Map.entry("fetch.min.bytes", "65536"));
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--producer-property", "transactional.id=x"))
                .hasMessageContaining("--producer-property transactional.id: the job sets transactional.id itself")
                .hasMessageContaining("--transactional-id-prefix");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--consumer-property", "group.id=g"))
                .hasMessageContaining("use --group-id");
    }

    @Test
    void batchingIsParsedAndChecked() {
        JobOptions options = parse("--source", "kafka", "--models", "m", "--input-format", "csv", "--batch-size", "256",
                "--batch-timeout", "5ms").orElseThrow();

        assertThat(options.scoring().inputFormat()).isEqualTo(InputFormat.CSV);
        assertThat(options.scoring().batchSize()).isEqualTo(256);
        assertThat(options.kafka().batchTimeout()).isEqualTo(Duration.ofMillis(5));
        assertThat(parse("--source", "kafka", "--models", "m", "--batch-timeout", "0ms").orElseThrow().kafka().batchTimeout())
                .isZero();
        assertThatThrownBy(() -> parse("--models", "m", "--batch-size", "0"))
                .hasMessageContaining("--batch-size must be at least 1");
        assertThatThrownBy(() -> parse("--models", "m", "--batch-timeout", "5ms"))
                .hasMessageContaining("--batch-timeout does not apply with --source socket");
    }

    @Test
    void remoteScoringAndTheDatabaseAreParsedAndChecked() {
        JobOptions defaults = parse("--models", "m").orElseThrow();
        assertThat(defaults.remote().requests()).as("remote scoring off").isZero();
        assertThat(defaults.remote().order()).isEqualTo(RemoteOrder.ORDERED);
        assertThat(defaults.jdbc()).isEmpty();
        JobOptions options = parse("--models", "m", "--remote-requests", "8", "--remote-order", "unordered",
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:55432/modelcast?user=modelcast&password=secret",
                "--jdbc-table", "scores.results").orElseThrow();
        assertThat(options.remote().requests()).isEqualTo(8);
        assertThat(options.remote().order()).isEqualTo(RemoteOrder.UNORDERED);
        assertThat(options.jdbc().orElseThrow().table()).isEqualTo("scores.results");
        assertThat(options.jdbc().orElseThrow().redactedUrl()).endsWith("user=modelcast&password=***");
        assertThatThrownBy(() -> parse("--models", "m", "--remote-requests", "-1"))
                .hasMessageContaining("--remote-requests must not be negative");
        assertThatThrownBy(() -> parse("--models", "m", "--jdbc-url", "jdbc:mysql://127.0.0.1/x"))
                .hasMessageContaining("--jdbc-url must be a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> parse("--models", "m", "--jdbc-url", "jdbc:postgresql://127.0.0.1/x", "--jdbc-table", "x; DROP TABLE y"))
                .hasMessageContaining("--jdbc-table must be a table name");
        assertThatThrownBy(() -> parse("--models", "m", "--jdbc-table", "t")).hasMessageContaining("--jdbc-table needs --jdbc-url");
    }

    @Test
    void labelsAndTheirEvaluationAreParsedAndChecked() {
        JobOptions defaults = parse("--models", "m").orElseThrow();
        assertThat(defaults.labels().enabled()).isFalse();
        assertThat(defaults.labels().labelWait()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.labels().window()).isEqualTo(Duration.ofMinutes(1));
        JobOptions socket = parse("--models", "m", "--label-port", "9998", "--label-wait", "30s", "--eval-window", "5s")
                .orElseThrow();
        assertThat(socket.labels().port()).hasValue(9998);
        assertThat(socket.labels().labelWait()).isEqualTo(Duration.ofSeconds(30));
        JobOptions kafka = parse("--source", "kafka", "--models", "m", "--label-topic", "labels", "--eval-topic", "evals")
                .orElseThrow();
        assertThat(kafka.labels().topic()).hasValue("labels");
        assertThat(kafka.labels().evalTopic()).hasValue("evals");

        assertThatThrownBy(() -> parse("--models", "m", "--label-topic", "labels"))
                .hasMessageContaining("--label-topic does not apply with --source socket");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--eval-topic", "evals"))
                .hasMessageContaining("--eval-topic needs labels");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--label-topic", "l", "--label-port", "9"))
                .hasMessageContaining("one place");
        assertThatThrownBy(() -> parse("--models", "m", "--label-port", "9998", "--label-wait", "0s"))
                .hasMessageContaining("--label-wait");
        assertThatThrownBy(() -> parse("--models", "m", "--label-port", "70000")).hasMessageContaining("--label-port");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--examples-topic", "ex"))
                .hasMessageContaining("--examples-topic needs labels");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--label-topic", "l", "--examples-topic", "ex"))
                .hasMessageContaining("--examples-topic needs feature vectors");
        assertThat(parse("--source", "kafka", "--models", "m", "--input-format", "json", "--label-topic", "l",
                "--examples-topic", "ex").orElseThrow().labels().examplesTopic()).hasValue("ex");
        assertThat(parse("--models", "m", "--input-format", "csv", "--label-port", "9998", "--examples-dir", "/data/examples")
                .orElseThrow().labels().examplesDir()).hasValue(URI.create("file:///data/examples"));
        assertThatThrownBy(() -> parse("--models", "m", "--examples-dir", "/data/examples"))
                .hasMessageContaining("--examples-dir needs labels");
    }

    @Test
    void theModelLimitsAreParsed() {
        JobOptions options = parse("--models", "m", "--max-model-bytes", "512KiB", "--max-model-age", "10m").orElseThrow();

        assertThat(options.models().maxModelBytes()).isEqualTo(512 * 1024);
        assertThat(options.scoring().maxModelAge()).hasValue(Duration.ofMinutes(10));
        assertThatThrownBy(() -> parse("--models", "m", "--max-model-bytes", "0"))
                .hasMessageContaining("--max-model-bytes must be between 1 byte and 2GiB");
        assertThatThrownBy(() -> parse("--models", "m", "--max-model-bytes", "lots"))
                .hasMessageContaining("--max-model-bytes");
        assertThatThrownBy(() -> parse("--models", "m", "--max-model-age", "0s"))
                .hasMessageContaining("--max-model-age");
    }

    @Test
    void kafkaOptionsHaveTheDefaultsOfTheSeedDesign() {
        KafkaOptions kafka = parse("--source", "kafka", "--models", "m").orElseThrow().kafka();

        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(kafka.inputTopic()).isEqualTo("s0");
        assertThat(kafka.outputTopic()).isEqualTo("s2");
        assertThat(kafka.deadLetterTopic()).isEqualTo("s2-dead-letters");
        assertThat(kafka.preprocessedTopic()).isEmpty();
        assertThat(kafka.groupId()).isEqualTo("modelcast");
        assertThat(kafka.startingOffsets()).isEqualTo(KafkaOptions.StartingOffsets.COMMITTED);
        assertThat(kafka.delivery()).isEqualTo(KafkaOptions.Delivery.EXACTLY_ONCE);
        assertThat(kafka.transactionalIdPrefix()).isEqualTo("modelcast-modelcast-s2");
        assertThat(kafka.rejectedModelsTopic()).isEmpty();
    }

    @Test
    void everyKafkaOptionIsParsed() {
        JobOptions options = parse("--source", "kafka", "--models", "m", "--bootstrap-servers", "127.0.0.1:19092",
                "--input-topic", "in", "--output-topic", "out", "--dead-letter-topic", "dlq",
                "--preprocessed-topic", "s1", "--group-id", "scoring", "--starting-offsets", "latest",
                "--delivery", "at-least-once", "--checkpoint-interval", "1s",
                "--rejected-models-topic", "bad-models").orElseThrow();
        KafkaOptions kafka = options.kafka();

        assertThat(options.source()).isEqualTo(InputSource.KAFKA);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(List.of(kafka.inputTopic(), kafka.outputTopic(), kafka.deadLetterTopic(), kafka.preprocessedTopic().orElseThrow()))
                .containsExactly("in", "out", "dlq", "s1");
        assertThat(kafka.groupId()).isEqualTo("scoring");
        assertThat(kafka.transactionalIdPrefix()).isEqualTo("modelcast-scoring-out");
        assertThat(kafka.startingOffsets()).isEqualTo(KafkaOptions.StartingOffsets.LATEST);
        assertThat(kafka.delivery()).isEqualTo(KafkaOptions.Delivery.AT_LEAST_ONCE);
        assertThat(kafka.rejectedModelsTopic()).hasValue("bad-models");
    }

    @Test
    void optionsOfTheOtherSourceAreAMistake() {
        assertThatThrownBy(() -> parse("--models", "m", "--input-topic", "s0"))
                .hasMessageContaining("--input-topic does not apply with --source socket (add --source kafka)");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--port", "9999"))
                .hasMessageContaining("--port does not apply with --source kafka");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--output-topic", "x", "--dead-letter-topic", "x"))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--dead-letter-topic", "s0"))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--preprocessed-topic", "s2"))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--checkpoint-interval", "6m"))
                .hasMessageContaining("--checkpoint-interval must be at most 5m with exactly-once delivery");
        assertThat(parse("--source", "kafka", "--models", "m", "--checkpoint-interval", "6m", "--delivery", "at-least-once"))
                .isPresent();
        assertThatThrownBy(() -> parse("--source", "kafka", "--models", "m", "--delivery", "maybe"))
                .hasMessageContaining("'maybe' is not one of exactly-once, at-least-once");
    }

    @Test
    void everyOptionIsParsedIntoItsType() {
        JobOptions options = parse("--host", "localhost", "--port", "7000", "--models", "hdfs://nn:8020/models",
                "--model-poll-interval", "100ms", "--parallelism", "4", "--output-format", "json",
                "--max-pending", "10").orElseThrow();

        assertThat(options.socket().host()).isEqualTo("localhost");
        assertThat(options.socket().port()).isEqualTo(7000);
        assertThat(options.models().directory()).contains(URI.create("hdfs://nn:8020/models"));
        assertThat(options.models().pollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.scoring().parallelism()).hasValue(4);
        assertThat(options.socket().outputFormat()).isEqualTo(OutputFormat.JSON);
        assertThat(options.scoring().maxPending()).isEqualTo(10);
    }

    @Test
    void modelsMayComeFromATopicWhoseBrokersTheKafkaOptionsNameAlsoWithTheSocketSource() {
        JobOptions options = parse("--model-topic", "models", "--bootstrap-servers", "127.0.0.1:9094",
                "--kafka-property", "security.protocol=SASL_PLAINTEXT").orElseThrow();

        assertThat(options.models().topic()).contains("models");
        assertThat(options.models().directory()).isEmpty();
        assertThat(options.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9094");
        assertThat(options.kafka().clients().consumerSettings()).containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThatThrownBy(() -> parse("--models", "m", "--bootstrap-servers", "127.0.0.1:9094"))
                .hasMessageContaining("--bootstrap-servers does not apply with --source socket");
        assertThatThrownBy(() -> parse("--model-topic", "models", "--input-topic", "s0"))
                .hasMessageContaining("--input-topic does not apply with --source socket");
    }

    @Test
    void aRelativeModelDirectoryIsMadeAbsolute() {
        assertThat(parse("--models", "models").orElseThrow().models().directory())
                .contains(Paths.get("models").toAbsolutePath().toUri());
    }

    @Test
    void helpIsPrintedAndNoJobIsBuilt() {
        assertThat(parse("--help")).isEmpty();
        assertThat(out.toString()).contains("--models=DIR", "Default: 500ms", "Default: 9999", "Default: text");
    }

    @Test
    void wrongArgumentsFailWithAMessageNotAnExit() {
        assertThatThrownBy(() -> parse()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing a model source: --models DIR, --model-topic TOPIC, or both");
        assertThatThrownBy(() -> parse("--models", "m", "--model-poll-interval", "soon"))
                .hasMessageContaining("invalid duration 'soon'");
        assertThatThrownBy(() -> parse("--models", "m", "--output-format", "xml"))
                .hasMessageContaining("--output-format");
        assertThatThrownBy(() -> parse("--models", "m", "--parallelism", "0"))
                .hasMessageContaining("--parallelism must be at least 1");
        assertThatThrownBy(() -> parse("--models", "m", "--max-pending", "-1"))
                .hasMessageContaining("--max-pending must not be negative");
    }
}
