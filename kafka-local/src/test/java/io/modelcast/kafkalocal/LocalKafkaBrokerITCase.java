package io.modelcast.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A broker process started, used, stopped and restarted, as bin/kafka-local and the tests use it. */
class LocalKafkaBrokerITCase {

    @TempDir Path dir;

    @Test
    void aSaslListenerTakesTheUserFromItsClientFileAndNoOneElse() throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker(dir);
        int[] ports = LocalKafkaBroker.freePorts(3);
        broker.start(ports[0], ports[1], OptionalInt.of(ports[2]), Duration.ofSeconds(120));
        try {
            assertThat(broker.saslBootstrapServers()).contains("127.0.0.1:" + ports[2]);
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + ports[0]);
            assertThat(Files.getPosixFilePermissions(broker.saslClientProperties()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE);
            Properties client = new Properties();
            try (var reader = Files.newBufferedReader(broker.saslClientProperties())) {
                client.load(reader);
            }
            assertThat(client.getProperty("sasl.jaas.config")).contains("username=\"" + LocalKafkaBroker.SASL_USER + "\"");

            broker.createTopics(Map.of("secured", 1));
            Properties producer = new Properties();
            producer.putAll(client);
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.saslBootstrapServers().orElseThrow());
            producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> writer = new KafkaProducer<>(producer)) {
                writer.send(new ProducerRecord<>("secured", "7")).get(30, TimeUnit.SECONDS);
            }
            assertThat(consumeAll(broker.bootstrapServers(), "secured", 1)).containsExactly("7");

            producer.put("sasl.jaas.config", client.getProperty("sasl.jaas.config").replaceAll("password=\"[^\"]*\"",
                    "password=\"wrong\""));
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            try (KafkaProducer<String, String> wrong = new KafkaProducer<>(producer)) {
                assertThatThrownBy(() -> wrong.send(new ProducerRecord<>("secured", "8")).get(30, TimeUnit.SECONDS))
                        .hasStackTraceContaining("Authentication failed");
            }
        } finally {
            assertThat(broker.stop(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void startsAnswersKeepsDataAcrossARestartAndStopsByPid() throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker(dir);
        int[] ports = LocalKafkaBroker.freePorts(2);
        int port = ports[0];
        ProcessHandle first = broker.start(port, ports[1], Duration.ofSeconds(120));
        try {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(broker.answers(Duration.ofSeconds(5))).isTrue();
            assertThat(reachableOnAnotherAddress(port)).as("reachable other than on loopback").isFalse();
            assertThatThrownBy(() -> broker.start(port, ports[1], Duration.ofSeconds(5)))
                    .hasMessageContaining("already running");

            broker.createTopics(Map.of("numbers", 2));
            produce(broker.bootstrapServers(), "numbers", List.of("1", "2", "3"));
            assertThat(consumeAll(broker.bootstrapServers(), "numbers", 3)).containsExactlyInAnyOrder("1", "2", "3");
        } finally {
            assertThat(broker.stop(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(first.isAlive()).isFalse();
        assertThat(broker.process()).isEmpty();
        assertThat(broker.answers(Duration.ofSeconds(1))).isFalse();

        broker.start(port, ports[1], Duration.ofSeconds(120));
        try {
            assertThat(consumeAll(broker.bootstrapServers(), "numbers", 3)).containsExactlyInAnyOrder("1", "2", "3");
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new LocalKafkaBroker(dir).start(taken.getLocalPort(), LocalKafkaBroker.freePorts(1)[0], Duration.ofSeconds(30)))
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
        assertThat(new LocalKafkaBroker(dir).process()).isEmpty();
    }

    @Test
    void aPidFileNamingSomeOtherProcessIsNotTakenForTheBroker() throws Exception {
        Files.createDirectories(dir);
        // This JVM is alive, but did not start at that time: a PID reused after a crash.
        Files.writeString(dir.resolve("broker.pid"), ProcessHandle.current().pid() + " 12345\n");
        LocalKafkaBroker broker = new LocalKafkaBroker(dir);

        assertThat(broker.process()).isEmpty();
        assertThat(broker.stop(Duration.ofSeconds(1))).isFalse();
        Files.writeString(dir.resolve("broker.pid"), "garbage");
        assertThat(broker.process()).isEmpty();
    }

    @Test
    void aBrokerTiedToAProcessStopsWhenThatProcessEnds() throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker(dir);
        int[] ports = LocalKafkaBroker.freePorts(2);
        ProcessHandle process = broker.start(ports[0], ports[1], Duration.ofSeconds(120));
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            broker.stopWhenProcessExits(owner.pid());
            assertThat(process.isAlive()).isTrue();

            owner.destroyForcibly();
            assertThat(process.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            owner.destroyForcibly();
            broker.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void stoppingABrokerThatDoesNotRunSaysSo() throws Exception {
        assertThat(new LocalKafkaBroker(dir).stop(Duration.ofSeconds(1))).isFalse();
    }

    private static void produce(String bootstrap, String topic, List<String> values) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** Whether the port answers on any of this machine's addresses other than loopback. */
    private static boolean reachableOnAnotherAddress(int port) throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address.isLoopbackAddress()) {
                    continue;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 1000);
                    return true;
                } catch (IOException refused) {
                    // As it should be.
                }
            }
        }
        return false;
    }
}
