package io.modelcast.job.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the job reads from and writes to Kafka (with {@code --source kafka}).
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port…]}
 * @param inputTopic raw input records ({@code s0})
 * @param outputTopic scored records ({@code s2})
 * @param deadLetterTopic records that could not be scored, with their original bytes
 * @param preprocessedTopic if present, parsed and validated input records ({@code s1})
 * @param groupId the consumer group, also the default base of the transactional ids
 * @param startingOffsets where to start reading when there is no checkpoint to resume from
 * @param delivery the sinks' guarantee
 * @param transactionalIdPrefix the base of the sinks' transactional ids; unique per job
 * @param rejectedModelsTopic if present, where rejected model files are reported
 * @param batchTimeout the longest a record waits for its batch to fill before the hop to the scorer
 * @param shadowTopic if present, where shadow rollouts' lines go (else the TaskManagers' standard output)
 * @param reportTopic if present, where rollout reports go (else the TaskManagers' standard output)
 * @param clients producer and consumer settings over the job's defaults
 */
public record KafkaOptions(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        Optional<String> preprocessedTopic,
        String groupId,
        StartingOffsets startingOffsets,
        Delivery delivery,
        String transactionalIdPrefix,
        Optional<String> rejectedModelsTopic,
        Duration batchTimeout,
        Optional<String> shadowTopic,
        Optional<String> reportTopic,
        ClientProperties clients) {

    /** Where to start reading when the job does not resume from a checkpoint or savepoint. */
    public enum StartingOffsets {
        /** The oldest record of each partition. */
        EARLIEST,
        /** Only records written after the job starts. */
        LATEST,
        /** The group's committed offsets, or the oldest record where the group has none. */
        COMMITTED
    }

    /** The guarantee of the Kafka sinks. */
    public enum Delivery {
        /** Kafka transactions committed on checkpoints: each input has exactly one result for read_committed readers. */
        EXACTLY_ONCE,
        /** Flushed on checkpoints; after a failure, some results may be written twice. */
        AT_LEAST_ONCE
    }

    public KafkaOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(outputTopic, "outputTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(preprocessedTopic, "preprocessedTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
        Objects.requireNonNull(rejectedModelsTopic, "rejectedModelsTopic");
        Objects.requireNonNull(batchTimeout, "batchTimeout");
        Objects.requireNonNull(shadowTopic, "shadowTopic");
        Objects.requireNonNull(reportTopic, "reportTopic");
        Objects.requireNonNull(clients, "clients");
        if (batchTimeout.isNegative()) {
            throw new IllegalArgumentException("--batch-timeout must not be negative, was " + batchTimeout);
        }
        List<String> topics = topics(inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, rejectedModelsTopic,
                shadowTopic, reportTopic);
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new IllegalArgumentException("the Kafka topics (--input-topic, --output-topic, --dead-letter-topic,"
                    + " --preprocessed-topic, --rejected-models-topic, --shadow-topic, --report-topic) must all differ"
                    + " (a topic written and read by the job would loop): " + topics);
        }
    }

    /** Every topic the job reads or writes. */
    public List<String> topics() {
        return topics(inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, rejectedModelsTopic, shadowTopic, reportTopic);
    }

    @SafeVarargs
    private static List<String> topics(String input, String output, String deadLetters, Optional<String>... optional) {
        List<String> topics = new ArrayList<>(List.of(input, output, deadLetters));
        for (Optional<String> topic : optional) {
            topic.ifPresent(topics::add);
        }
        return topics;
    }
}
