package io.modelcast.tcpsource;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.kafkalocal.KafkaBrokerExtension;

import io.modelcast.cli.KafkaClientOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** tcpsource's Kafka modes on a real broker, also through its SASL listener. */
class KafkaFeedITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void loadModeWritesCountRecordsKeyedBySequenceWithTheDemoValuesThroughTheSaslListener() throws Exception {
        String topic = KafkaBrokerExtension.uniqueTopic("load");
        KAFKA.createTopics(Map.of(topic, 1));

        TcpSourceCliTest.Run run = TcpSourceCliTest.tcpsource("--kafka-topic", topic,
                "--bootstrap-servers", KAFKA.saslBootstrapServers(), "--kafka-properties", KAFKA.saslClientProperties().toString(),
                "--count", "1000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sent 1000 records to topic " + topic);
        List<ConsumerRecord<String, String>> records = read(topic, 1000);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).key()).isEqualTo(Integer.toString(i));
            assertThat(records.get(i).value()).isEqualTo(Integer.toString(i % 20));
        }
    }

    @Test
    void seedModeWritesRoundsOfZeroToNineteenUntilStopped() throws Exception {
        String topic = KafkaBrokerExtension.uniqueTopic("seed");
        KAFKA.createTopics(Map.of(topic, 1));
        StringWriter log = new StringWriter();
        KafkaFeed feed = new KafkaFeed(KAFKA.bootstrapServers(), KafkaClientOptions.none(), topic, new DemoLines(), new PrintWriter(log));
        CompletableFuture<Void> rounds = CompletableFuture.runAsync(() -> {
            try {
                feed.runRounds(Duration.ofMillis(50));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<ConsumerRecord<String, String>> records = read(topic, 60);
        feed.stop();
        rounds.get(30, TimeUnit.SECONDS);
        feed.close();

        assertThat(records).extracting(ConsumerRecord::value)
                .startsWith("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
                        "15", "16", "17", "18", "19", "0");
        assertThat(log.toString()).contains("round 3: sent 0..19 to topic " + topic);
    }

    @Test
    void aSettingTcpsourceMakesItselfIsRefusedByName() {
        TcpSourceCliTest.Run run = TcpSourceCliTest.tcpsource("--kafka-topic", "t", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--kafka-property", "acks=0", "--count", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--kafka-property (or --kafka-properties) acks: tcpsource sets it itself");
    }

    @Test
    void kafkaOptionsAndTcpOptionsDoNotMix() {
        assertThat(TcpSourceCliTest.tcpsource("--kafka-topic", "t", "--port", "1234").err())
                .contains("--host and --port do not apply with --kafka-topic");
        assertThat(TcpSourceCliTest.tcpsource("--bootstrap-servers", "127.0.0.1:1").exitCode()).isEqualTo(2);
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read only " + records.size() + " of " + count + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
