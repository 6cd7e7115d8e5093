package io.modelcast.kafkalocal;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * JUnit 5 extension that gives tests a real Kafka broker: one {@link LocalKafkaBroker} process per
 * test run, on free loopback ports in a temporary directory, started before the first test class
 * that uses it and stopped (by PID) when the run ends. Tests share it, so each should use its own
 * topics ({@link #uniqueTopic}).
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback {

    private static final String STORE_KEY = KafkaBrokerExtension.class.getName();

    private RunningBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(STORE_KEY, key -> RunningBroker.start(), RunningBroker.class);
    }

    /** {@code 127.0.0.1:<port>} of the running broker. */
    public String bootstrapServers() {
        return broker.bootstrapServers;
    }

    /** {@code 127.0.0.1:<port>} of the running broker's SASL_PLAINTEXT listener. */
    public String saslBootstrapServers() {
        try {
            return broker.broker.saslBootstrapServers().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SASL listener's client settings, password included ({@link LocalKafkaBroker#saslClientProperties()}). */
    public Path saslClientProperties() {
        return broker.broker.saslClientProperties();
    }

    /** Creates topics with the given partition counts. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws IOException, InterruptedException {
        broker.broker.createTopics(partitionsByTopic);
    }

    /** A topic name no other test uses: {@code prefix-<random>}. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The broker of this test run; closed by JUnit when the run ends. */
    static final class RunningBroker implements ExtensionContext.Store.CloseableResource {
        final LocalKafkaBroker broker;
        final String bootstrapServers;

        private RunningBroker(LocalKafkaBroker broker) throws IOException {
            this.broker = broker;
            this.bootstrapServers = broker.bootstrapServers();
        }

        static RunningBroker start() {
            try {
                Path dir = Files.createTempDirectory("kafka-local-test");
                LocalKafkaBroker broker = new LocalKafkaBroker(dir);
                int[] ports = LocalKafkaBroker.freePorts(3);
                // PLAINTEXT for the tests' own clients, SASL for the secured path.
                broker.start(ports[0], ports[1], OptionalInt.of(ports[2]), Duration.ofSeconds(120));
                // Should JUnit not get to close it (a test JVM killed), the broker still stops.
                broker.stopWhenProcessExits(ProcessHandle.current().pid());
                return new RunningBroker(broker);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the test Kafka broker", e);
            }
        }

        @Override
        public void close() {
            stopQuietly();
        }

        private void stopQuietly() {
            try {
                broker.stop(Duration.ofSeconds(30));
                deleteRecursively(broker.dir());
            } catch (IOException e) {
                // Nothing more to do at the end of a run.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void deleteRecursively(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
