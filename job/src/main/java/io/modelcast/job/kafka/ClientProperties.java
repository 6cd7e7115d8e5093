package io.modelcast.job.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Kafka client settings the job passes on ({@code --producer-property KEY=VALUE},
 * {@code --consumer-property KEY=VALUE}) over its own producer defaults. The defaults trade a few
 * milliseconds of latency for throughput — the producers' network threads share the cores with the
 * scoring — and were chosen by measurement ({@code bin/bench kafka}; docs in the README's Kafka mode):
 * {@code linger.ms} {@value #LINGER_MS}, {@code batch.size} {@value #BATCH_SIZE},
 * {@code compression.type} {@value #COMPRESSION}.
 *
 * <p>Settings the job makes itself (brokers, serializers, group, transactions, isolation) cannot
 * be given here: their own options say what they are.
 *
 * @param producer settings of every producer the job's sinks use, over the defaults
 * @param consumer settings of every consumer the job's sources use
 */
public record ClientProperties(Map<String, String> producer, Map<String, String> consumer) {

    public static final String LINGER_MS = "20";
    public static final String BATCH_SIZE = "131072";
    public static final String COMPRESSION = "lz4";

    /** What the job sets itself, with the option that sets it. */
    private static final Map<String, String> OWN = Map.of(
            "bootstrap.servers", "--bootstrap-servers",
            "transactional.id", "--transactional-id-prefix",
            "group.id", "--group-id",
            "isolation.level", "--delivery (inputs are always read read_committed)",
            "key.serializer", "the job (bytes)",
            "value.serializer", "the job (bytes)",
            "key.deserializer", "the job (bytes)",
            "value.deserializer", "the job (bytes)");

    public ClientProperties {
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
        refuseOwn(producer.keySet(), "--producer-property");
        refuseOwn(consumer.keySet(), "--consumer-property");
    }

    /** No settings over the defaults. */
    public static ClientProperties none() {
        return new ClientProperties(Map.of(), Map.of());
    }

    /** The producer settings: the job's defaults, then what was given. */
    public Map<String, String> producerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("linger.ms", LINGER_MS);
        settings.put("batch.size", BATCH_SIZE);
        settings.put("compression.type", COMPRESSION);
        settings.putAll(producer);
        return settings;
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
