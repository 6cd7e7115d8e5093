package io.modelcast.job.kafka;

import io.modelcast.cli.Durations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings the job passes on, over its own producer defaults: settings of every
 * client ({@code --kafka-properties FILE}, then {@code --kafka-property KEY=VALUE}) — security
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), {@code client.id}, timeouts — then
 * those of the producers ({@code --producer-property}) or the consumers ({@code --consumer-property}),
 * and the transactions' timeout ({@code --transaction-timeout}).
 *
 * <p>The producer defaults trade a few milliseconds of latency for throughput — the producers'
 * network threads share the cores with the scoring — and were chosen by measurement ({@code bin/bench
 * kafka}; docs in the README's Kafka mode): {@code linger.ms} {@value #LINGER_MS}, {@code batch.size}
 * {@value #BATCH_SIZE}, {@code compression.type} {@value #COMPRESSION}.
 *
 * <p>Settings the job makes itself (brokers, serializers, group, transactions, isolation) cannot be
 * given here: their own options say what they are. Values may be secrets (a JAAS configuration with a
 * password): {@link #toString()} shows keys only, and no error message here shows a value.
 *
 * @param common settings of every client: the source's consumers, the sinks' producers, the admin
 *     client that checks the topics at submission
 * @param producer settings of every producer the job's sinks use, over the defaults and {@code common}
 * @param consumer settings of every consumer the job's sources use, over {@code common}
 * @param transactionTimeout the exactly-once sinks' {@code transaction.timeout.ms}: below the brokers'
 *     {@code transaction.max.timeout.ms}, above a checkpoint interval and a checkpoint
 */
public record ClientProperties(Map<String, String> common, Map<String, String> producer, Map<String, String> consumer,
        Duration transactionTimeout) {

    public static final String LINGER_MS = "20";
    public static final String BATCH_SIZE = "131072";
    public static final String COMPRESSION = "lz4";

    /**
     * The transactions' timeout unless {@code --transaction-timeout} says otherwise: below the
     * brokers' default {@code transaction.max.timeout.ms} (15 min), or producers are refused.
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /** What the job sets itself, with the option that sets it. */
    private static final Map<String, String> OWN = Map.of(
            "bootstrap.servers", "--bootstrap-servers",
            "transactional.id", "--transactional-id-prefix",
            "transaction.timeout.ms", "--transaction-timeout",
            "group.id", "--group-id",
            "isolation.level", "--delivery (inputs are always read read_committed)",
            "key.serializer", "the job (bytes)",
            "value.serializer", "the job (bytes)",
            "key.deserializer", "the job (bytes)",
            "value.deserializer", "the job (bytes)");

    public ClientProperties {
        common = Map.copyOf(common);
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
        Objects.requireNonNull(transactionTimeout, "transactionTimeout");
        refuseOwn(common.keySet(), "--kafka-property (or --kafka-properties)");
        refuseOwn(producer.keySet(), "--producer-property");
        refuseOwn(consumer.keySet(), "--consumer-property");
        if (transactionTimeout.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--transaction-timeout must be at least 10s, was "
                    + Durations.format(transactionTimeout));
        }
    }

    /** No settings over the defaults. */
    public static ClientProperties none() {
        return new ClientProperties(Map.of(), Map.of(), Map.of(), DEFAULT_TRANSACTION_TIMEOUT);
    }

    /** The producer settings: the job's defaults, then the common settings, then the producers' own. */
    public Map<String, String> producerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("linger.ms", LINGER_MS);
        settings.put("batch.size", BATCH_SIZE);
        settings.put("compression.type", COMPRESSION);
        settings.putAll(common);
        settings.putAll(producer);
        return settings;
    }

    /** The consumer settings: the common settings, then the consumers' own. */
    public Map<String, String> consumerSettings() {
        Map<String, String> settings = new LinkedHashMap<>(common);
        settings.putAll(consumer);
        return settings;
    }

    /** The admin client's settings: the common ones. */
    public Map<String, String> adminSettings() {
        return common;
    }

    /**
     * The longest checkpoint interval with exactly-once: a transaction stays open for an interval
     * and its checkpoint; half the transactions' timeout leaves the rest for a checkpoint and a restart.
     */
    public Duration maxCheckpointInterval() {
        return transactionTimeout.dividedBy(2);
    }

    /** The longest a checkpoint may take with exactly-once: a fifth of the transactions' timeout. */
    public Duration maxCheckpointDuration() {
        return transactionTimeout.dividedBy(5);
    }

    /** Keys only: values may be secrets. */
    @Override
    public String toString() {
        return "ClientProperties[common=" + new TreeMap<>(common).keySet() + ", producer=" + new TreeMap<>(producer).keySet()
                + ", consumer=" + new TreeMap<>(consumer).keySet() + ", transactionTimeout="
                + Durations.format(transactionTimeout) + "]";
    }

    private static void refuseOwn(Set<String> keys, String option) {
        for (String key : keys) {
            Objects.requireNonNull(key, "key");
            if (OWN.containsKey(key)) {
                throw new IllegalArgumentException(option + " " + key + ": the job sets " + key + " itself; use "
                        + OWN.get(key));
            }
        }
    }
}
