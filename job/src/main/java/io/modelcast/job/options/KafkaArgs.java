package io.modelcast.job.options;

import io.modelcast.job.kafka.ClientProperties;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.kafka.KafkaOptions.StartingOffsets;

import io.modelcast.cli.KafkaClientOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The Kafka source and sinks ({@code --source kafka}). */
public final class KafkaArgs {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_INPUT_TOPIC = "s0";
    public static final String DEFAULT_OUTPUT_TOPIC = "s2";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "s2-dead-letters";
    public static final String DEFAULT_GROUP_ID = "modelcast";
    public static final String DEFAULT_STARTING_OFFSETS = "committed";
    public static final String DEFAULT_DELIVERY = "exactly-once";
    public static final String DEFAULT_BATCH_TIMEOUT = "10ms";
    public static final String DEFAULT_TRANSACTION_TIMEOUT = "10m";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = DEFAULT_BOOTSTRAP_SERVERS,
            description = "Kafka: the brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--input-topic", paramLabel = "TOPIC", defaultValue = DEFAULT_INPUT_TOPIC,
            description = "Kafka: the topic of raw input records. Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--output-topic", paramLabel = "TOPIC", defaultValue = DEFAULT_OUTPUT_TOPIC,
            description = "Kafka: the topic results go to, one JSON record per input, with the input's key."
                    + " Default: ${DEFAULT-VALUE}.")
    String outputTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", defaultValue = DEFAULT_DEAD_LETTER_TOPIC,
            description = "Kafka: the topic records that cannot be scored go to, with their original bytes and"
                    + " the reason and source offset in headers. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--preprocessed-topic", paramLabel = "TOPIC",
            description = "Kafka: if set, parsed and validated input records also go to this topic (s1).")
    String preprocessedTopic;

    @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = DEFAULT_GROUP_ID,
            description = "Kafka: the consumer group. Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--starting-offsets", paramLabel = "WHERE", defaultValue = DEFAULT_STARTING_OFFSETS,
            description = "Kafka: where to start without a checkpoint to resume from: earliest, latest, or"
                    + " committed (the group's offsets, else earliest). Default: ${DEFAULT-VALUE}.")
    StartingOffsets startingOffsets;

    @Option(names = "--delivery", paramLabel = "GUARANTEE", defaultValue = DEFAULT_DELIVERY,
            description = "Kafka: exactly-once (transactions committed on checkpoints) or at-least-once."
                    + " Default: ${DEFAULT-VALUE}.")
    Delivery delivery;

    @Option(names = "--transactional-id-prefix", paramLabel = "PREFIX",
            description = "Kafka, exactly-once: base of the transactional ids; must be unique per job and stable"
                    + " across its restarts. Default: modelcast-<group id>-<output topic>.")
    String transactionalIdPrefix;

    @Option(names = "--shadow-topic", paramLabel = "TOPIC",
            description = "Kafka: where shadow rollouts write both models' outcome of each record, as JSON, with the"
                    + " job's delivery guarantee. Default: the TaskManagers' standard output (shadow> lines).")
    String shadowTopic;

    @Option(names = "--report-topic", paramLabel = "TOPIC",
            description = "Kafka: where rollout reports go, as JSON, for fitter rollout --watch. Default: the"
                    + " TaskManagers' standard output (report> lines).")
    String reportTopic;

    @Option(names = "--rejected-models-topic", paramLabel = "TOPIC",
            description = "Kafka: if set, each rejected model file is also reported to this topic, as JSON.")
    String rejectedModelsTopic;

    @Option(names = "--batch-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_BATCH_TIMEOUT,
            description = "Kafka: the longest a record waits for its batch to fill; batches also go out at every"
                    + " checkpoint; 0ms sends every record on its own. (Socket input comes in batches already: one"
                    + " per read.) Default: ${DEFAULT-VALUE}.")
    Duration batchTimeout;

    @Mixin KafkaClientOptions clients = new KafkaClientOptions();

    @Option(names = "--transaction-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_TRANSACTION_TIMEOUT,
            description = "Kafka, exactly-once: the transactions' timeout; below the brokers' transaction.max.timeout.ms"
                    + " (15m unless the brokers say otherwise). The checkpoint interval may be at most half of it."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration transactionTimeout;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
            description = "Kafka: a setting of every producer of the job (repeat for more), over the job's defaults"
                    + " linger.ms=" + ClientProperties.LINGER_MS + ", batch.size=" + ClientProperties.BATCH_SIZE
                    + ", compression.type=" + ClientProperties.COMPRESSION + ".")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE",
            description = "Kafka: a setting of every consumer of the job (repeat for more): fetch.min.bytes, say.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    public KafkaOptions toOptions() {
        return new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic,
                Optional.ofNullable(preprocessedTopic), groupId, startingOffsets, delivery,
                transactionalIdPrefix != null ? transactionalIdPrefix : "modelcast-" + groupId + "-" + outputTopic,
                Optional.ofNullable(rejectedModelsTopic), batchTimeout, Optional.ofNullable(shadowTopic),
                Optional.ofNullable(reportTopic), new ClientProperties(commonProperties(), producerProperties, consumerProperties,
                        transactionTimeout));
    }

    /** The settings of every client: the file's, then the command line's. */
    private Map<String, String> commonProperties() {
        return clients.settings();
    }
}
