package io.modelcast.job.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, when the job is built, that its topics exist: the exactly-once sinks look their topics
 * up when they start, and a missing one would fail the job over and over instead of once, here,
 * with a message that says what to do.
 */
final class KafkaTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private KafkaTopics() {}

    /** @param settings the job's settings of every client (security, say), under the job's own */
    static void requireExisting(String bootstrapServers, Map<String, String> settings, Collection<String> topics) {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Set<String> existing;
        try (Admin admin = Admin.create(properties)) {
            existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + " (--bootstrap-servers): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the Kafka topics", e);
        }
        List<String> missing = new ArrayList<>(topics);
        missing.removeAll(existing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Kafka topics " + missing + " do not exist at " + bootstrapServers
                    + ": create them first (for the local broker: bin/kafka-local create-topics "
                    + String.join(" ", missing) + ")");
        }
    }
}
