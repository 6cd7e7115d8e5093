package io.modelcast.job.kafka;

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
        Optional<String> rejectedModelsTopic) {

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
    }

    /** The defaults: s0 → s2, dead letters to s2-dead-letters, group modelcast, exactly once. */
    public static KafkaOptions defaults(String bootstrapServers) {
        return new KafkaOptions(bootstrapServers, "s0", "s2", "s2-dead-letters", Optional.empty(), "modelcast",
                StartingOffsets.COMMITTED, Delivery.EXACTLY_ONCE, "modelcast-modelcast-s2", Optional.empty());
    }

    public KafkaOptions withTopics(String input, String output, String deadLetters, Optional<String> preprocessed) {
        return new KafkaOptions(bootstrapServers, input, output, deadLetters, preprocessed, groupId,
                startingOffsets, delivery, transactionalIdPrefix, rejectedModelsTopic);
    }

    public KafkaOptions withGroup(String group, String transactionalIds) {
        return new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, group,
                startingOffsets, delivery, transactionalIds, rejectedModelsTopic);
    }

    public KafkaOptions withStartingOffsets(StartingOffsets offsets) {
        return new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, groupId,
                offsets, delivery, transactionalIdPrefix, rejectedModelsTopic);
    }

    public KafkaOptions withDelivery(Delivery guarantee) {
        return new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, groupId,
                startingOffsets, guarantee, transactionalIdPrefix, rejectedModelsTopic);
    }

    public KafkaOptions withRejectedModelsTopic(String topic) {
        return new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, preprocessedTopic, groupId,
                startingOffsets, delivery, transactionalIdPrefix, Optional.of(topic));
    }
}
