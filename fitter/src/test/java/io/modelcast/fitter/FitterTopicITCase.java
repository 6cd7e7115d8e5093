package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.kafkalocal.LocalKafkaBroker;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code --to-kafka TOPIC}: the fitter publishing to a model topic on a real broker (through its SASL
 * listener), with the rules of a directory — versions only grow, promote and rollback republish, a
 * challenger beside its champion — and {@code list --from-kafka}; fitters racing on one topic never
 * publish one version twice; a model over the topic's record limit is refused before anything is sent.
 */
class FitterTopicITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final String topic = KafkaBrokerExtension.uniqueTopic("models");

    @Test
    void fitPromoteRollbackAndRolloutPublishToTheTopicAndListShowsTheHistory() throws Exception {
        LocalKafkaBroker.createModelTopics(KAFKA.bootstrapServers(), List.of(topic));

        for (int i = 0; i < 3; i++) {
            assertOk(fitter(onTopic("fit")));
        }
        assertOk(fitter(onTopic("rollback")));
        assertOk(fitter(onTopic("promote", "1")));
        assertOk(fitter(onTopic("fit", "--role", "challenger", "--rollout", "canary:10")));
        assertOk(fitter(onTopic("rollout", "--promote")));

        List<ModelFile> published = read();
        assertThat(published).extracting(ModelFile::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(published.get(3).promotedFrom()).hasValue(2);
        assertThat(published.get(4).promotedFrom()).hasValue(1);
        assertThat(published.get(5).isChallenger()).isTrue();
        assertThat(published.get(6).promotedFrom()).hasValue(6);
        Run list = fitter("list", "--from-kafka", topic, "--bootstrap-servers", KAFKA.saslBootstrapServers(),
                "--kafka-properties", KAFKA.saslClientProperties().toString());
        assertOk(list);
        assertThat(list.out().lines().toList()).hasSize(7).first().asString().startsWith("7 ");
    }

    @Test
    void fittersRacingOnOneTopicNeverPublishTheSameVersion() throws Exception {
        LocalKafkaBroker.createModelTopics(KAFKA.bootstrapServers(), List.of(topic));
        int fitters = 3;
        int each = 6;
        ExecutorService pool = Executors.newFixedThreadPool(fitters);
        List<Future<List<Run>>> runs = new ArrayList<>();
        for (int f = 0; f < fitters; f++) {
            runs.add(pool.submit(() -> {
                List<Run> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    mine.add(fitter(onTopic("fit")));
                }
                return mine;
            }));
        }
        List<Run> all = new ArrayList<>();
        for (Future<List<Run>> run : runs) {
            all.addAll(run.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();

        long succeeded = all.stream().filter(r -> r.exitCode() == 0).count();
        assertThat(all).allSatisfy(r -> {
            if (r.exitCode() != 0) {
                assertThat(r.exitCode()).isEqualTo(1);
                assertThat(r.err()).contains("started meanwhile").contains("was not published");
            }
        });
        List<Long> versions = read().stream().map(ModelFile::version).toList();
        assertThat(versions).as("versions on the topic").doesNotHaveDuplicates().hasSize((int) succeeded)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, succeeded).boxed().toList());
        assertThat(succeeded).isPositive();
    }

    @Test
    void aModelOverTheTopicsRecordLimitIsRefusedWithTheLimitAndTheFix() throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "200"))))
                    .all().get(30, TimeUnit.SECONDS);
        }

        Run run = fitter(onTopic("fit"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("takes records of at most 200 bytes").contains("max.message.bytes")
                .contains("--models DIR").contains("Nothing was published");
        assertThat(read()).isEmpty();
    }

    @Test
    void theTopicOptionsAreChecked() {
        assertThat(fitter("fit", "--to-kafka", topic).err()).contains("--to-kafka needs --bootstrap-servers");
        assertThat(fitter("fit", "--to-kafka", topic, "--models", "/tmp", "--bootstrap-servers", KAFKA.bootstrapServers()).err())
                .contains("--models and --to-kafka: give one of them");
        assertThat(fitter("fit").err()).contains("Missing --models DIR (or --to-kafka TOPIC)");
        assertThat(fitter("fit", "--to-kafka", "missing-" + topic, "--bootstrap-servers", KAFKA.bootstrapServers()).err())
                .contains("the model topic does not exist").contains("bin/kafka-local create-topics --model-topic");
    }

    private String[] onTopic(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        Collections.addAll(args, "--to-kafka", topic, "--bootstrap-servers", KAFKA.saslBootstrapServers(),
                "--kafka-properties", KAFKA.saslClientProperties().toString());
        return args.toArray(String[]::new);
    }

    private static void assertOk(Run run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }

    /** Every model on the topic, in offset order, as a read_committed reader sees them. */
    private List<ModelFile> read() throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ModelFile> files = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("default");
                    ModelFile file = new ModelFileCodec().decode(topic, record.value());
                    file.model().close();
                    files.add(file);
                }
            }
        }
        return files;
    }
}
