package io.modelcast.job;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.EnumNames;
import io.modelcast.cli.ManifestVersion;
import io.modelcast.cli.Sizes;
import io.modelcast.cli.Durations;
import io.modelcast.job.jdbc.JdbcOptions;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.job.kafka.KafkaPipeline;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.kafka.KafkaOptions.StartingOffsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The job's command-line options. Arguments are separated by spaces and need no shell quoting,
 * so the Flink web UI's "Program Arguments" field can pass them as typed.
 */
@Command(
        name = "modelcast-job",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "Scores a stream of integers or feature vectors (lines from a TCP socket, or records of a Kafka topic) with the"
                    + " newest model published in --models, replacing the model while the job runs."
        })
public class JobArguments {

    private static final List<String> SOCKET_ONLY = List.of("--host", "--port", "--output-format");
    private static final List<String> KAFKA_ONLY = List.of("--bootstrap-servers", "--input-topic",
            "--output-topic", "--dead-letter-topic", "--preprocessed-topic", "--group-id", "--starting-offsets",
            "--delivery", "--transactional-id-prefix", "--rejected-models-topic", "--batch-timeout");

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "socket",
            description = "Where input comes from: socket or kafka. Default: ${DEFAULT-VALUE}.")
    InputSource source;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Socket source: host to read lines from. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9999",
            description = "Socket source: port to read lines from. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Socket source: text prints the model's output alone (070707); json prints one JSON"
                    + " object per record with input, output, modelVersion and subtask. Default: ${DEFAULT-VALUE}.")
    OutputFormat outputFormat;

    @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "int",
            description = "What each input holds: int (one integer, for the custom model), csv (comma-separated"
                    + " numbers) or json ({\"id\": …, \"features\": [...]}), for logistic and onnx models. A model that"
                    + " takes the other kind of input is rejected. Default: ${DEFAULT-VALUE}.")
    InputFormat inputFormat;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "At most this many records go into one batch and one model call (for ONNX, one"
                    + " inference; for a remote model, one request). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--batch-timeout", paramLabel = "DURATION", defaultValue = "10ms",
            description = "Kafka: the longest a record waits for its batch to fill; batches also go out at every"
                    + " checkpoint; 0ms sends every record on its own. (Socket input comes in batches already: one"
                    + " per read.) Default: ${DEFAULT-VALUE}.")
    Duration batchTimeout;

    @Option(names = "--remote-requests", paramLabel = "N", defaultValue = "0",
            description = "Remote models: the most requests to the model server in flight per scoring subtask"
                    + " (64 is a good start); more inputs wait (back-pressure). 0 turns remote scoring off: remote"
                    + " model files are rejected, and local results reach the sinks without an extra hop."
                    + " Default: ${DEFAULT-VALUE}.")
    int remoteRequests;

    @Option(names = "--remote-order", paramLabel = "ORDER", defaultValue = "ordered",
            description = "Remote models: ordered (results leave in input order) or unordered (as calls"
                    + " complete; a slow call holds nothing back). Default: ${DEFAULT-VALUE}.")
    JobOptions.RemoteOrder remoteOrder;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "Also write results to this PostgreSQL database, one row per input keyed by where it"
                    + " was read (upserts: a replay never duplicates a row), for example"
                    + " jdbc:postgresql://127.0.0.1:55432/modelcast?user=modelcast. The table is created if missing.")
    String jdbcUrl;

    @Option(names = "--jdbc-table", paramLabel = "TABLE", defaultValue = "modelcast_results",
            description = "With --jdbc-url: the table rows go to. Default: ${DEFAULT-VALUE}.")
    String jdbcTable;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "127.0.0.1:9092",
            description = "Kafka: the brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--input-topic", paramLabel = "TOPIC", defaultValue = "s0",
            description = "Kafka: the topic of raw input records. Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--output-topic", paramLabel = "TOPIC", defaultValue = "s2",
            description = "Kafka: the topic results go to, one JSON record per input, with the input's key."
                    + " Default: ${DEFAULT-VALUE}.")
    String outputTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", defaultValue = "s2-dead-letters",
            description = "Kafka: the topic records that cannot be scored go to, with their original bytes and"
                    + " the reason and source offset in headers. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--preprocessed-topic", paramLabel = "TOPIC",
            description = "Kafka: if set, parsed and validated input records also go to this topic (s1).")
    String preprocessedTopic;

    @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "modelcast",
            description = "Kafka: the consumer group. Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--starting-offsets", paramLabel = "WHERE", defaultValue = "committed",
            description = "Kafka: where to start without a checkpoint to resume from: earliest, latest, or"
                    + " committed (the group's offsets, else earliest). Default: ${DEFAULT-VALUE}.")
    StartingOffsets startingOffsets;

    @Option(names = "--delivery", paramLabel = "GUARANTEE", defaultValue = "exactly-once",
            description = "Kafka: exactly-once (transactions committed on checkpoints) or at-least-once."
                    + " Default: ${DEFAULT-VALUE}.")
    Delivery delivery;

    @Option(names = "--transactional-id-prefix", paramLabel = "PREFIX",
            description = "Kafka, exactly-once: base of the transactional ids; must be unique per job and stable"
                    + " across its restarts. Default: modelcast-<group id>-<output topic>.")
    String transactionalIdPrefix;

    @Option(names = "--rejected-models-topic", paramLabel = "TOPIC",
            description = "Kafka: if set, each rejected model file is also reported to this topic, as JSON.")
    String rejectedModelsTopic;

    @Option(names = "--models", paramLabel = "DIR", required = true,
            description = "Model directory to watch: a local path (made absolute) or a URI such as"
                    + " hdfs://… or s3://…. On a cluster, every TaskManager and the JobManager must see it.")
    String models;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
            description = "How often the model directory is listed for new files. Default: ${DEFAULT-VALUE}.")
    Duration modelPollInterval;

    @Option(names = "--max-model-bytes", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Largest model file accepted (the model lives on the heap of every scoring subtask)."
                    + " Default: ${DEFAULT-VALUE}.")
    String maxModelBytes;

    @Option(names = "--max-model-age", paramLabel = "DURATION",
            description = "Hold back results of a model published longer ago than this: they go to the stale"
                    + " output (socket) or the dead-letter topic (Kafka) instead. Default: no limit.")
    Duration maxModelAge;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Parallelism of the scoring operator. Default: the cluster's default parallelism.")
    Integer parallelism;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "100000",
            description = "Records each scoring subtask holds, in checkpointed state, until the first model"
                    + " arrives; more are rejected (no model yet). Default: ${DEFAULT-VALUE}.")
    int maxPending;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often the job checkpoints; Kafka results become visible to read_committed"
                    + " consumers at each checkpoint. Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    /**
     * Parses the job's arguments.
     *
     * @return the options, or empty if help or the version was asked for (and printed to {@code out})
     * @throws IllegalArgumentException if the arguments are wrong; the message says how
     */
    public static Optional<JobOptions> parse(String[] args, PrintWriter out) {
        JobArguments arguments = new JobArguments();
        return parse(arguments, args, out).map(commandLine -> arguments.toOptions(commandLine.getParseResult()));
    }

    /** Parses into any picocli command object (one that mixes these options in); empty if help was printed. */
    static Optional<CommandLine> parse(Object command, String[] args, PrintWriter out) {
        CommandLine commandLine = CommandLines.create(command);
        commandLine.registerConverter(InputSource.class, EnumNames.converter(InputSource.class));
        commandLine.registerConverter(OutputFormat.class, EnumNames.converter(OutputFormat.class));
        commandLine.registerConverter(InputFormat.class, EnumNames.converter(InputFormat.class));
        commandLine.registerConverter(StartingOffsets.class, EnumNames.converter(StartingOffsets.class));
        commandLine.registerConverter(Delivery.class, EnumNames.converter(Delivery.class));
        commandLine.registerConverter(JobOptions.RemoteOrder.class, EnumNames.converter(JobOptions.RemoteOrder.class));
        commandLine.setOut(out);
        // The job's main returns or throws; it has no exit codes of its own to list.
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("").exitCodeList(Map.of());
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (run with --help for the options)", e);
        }
        if (CommandLine.printHelpIfRequested(commandLine.getParseResult())) {
            out.flush();
            return Optional.empty();
        }
        return Optional.of(commandLine);
    }

    JobOptions toOptions(ParseResult parsed) {
        for (String option : source == InputSource.KAFKA ? SOCKET_ONLY : KAFKA_ONLY) {
            if (parsed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " does not apply with --source " + EnumNames.of(source)
                        + (source == InputSource.SOCKET ? " (add --source kafka)" : ""));
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, was " + port);
        }
        requirePositive(modelPollInterval, "--model-poll-interval");
        requirePositive(checkpointInterval, "--checkpoint-interval");
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
        }
        if (batchTimeout.isNegative()) {
            throw new IllegalArgumentException("--batch-timeout must not be negative, was " + batchTimeout);
        }
        if (remoteRequests < 0) {
            throw new IllegalArgumentException("--remote-requests must not be negative, was " + remoteRequests);
        }
        if (jdbcUrl == null && parsed.hasMatchedOption("--jdbc-table")) {
            throw new IllegalArgumentException("--jdbc-table needs --jdbc-url");
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("--max-pending must not be negative, was " + maxPending);
        }
        long modelBytes;
        try {
            modelBytes = Sizes.parse(maxModelBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-model-bytes: " + e.getMessage(), e);
        }
        if (modelBytes < 1 || modelBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-model-bytes must be between 1 byte and 2GiB, was " + maxModelBytes);
        }
        if (maxModelAge != null) {
            requirePositive(maxModelAge, "--max-model-age");
        }
        KafkaOptions kafka = new KafkaOptions(bootstrapServers, inputTopic, outputTopic, deadLetterTopic,
                Optional.ofNullable(preprocessedTopic), groupId, startingOffsets, delivery,
                transactionalIdPrefix != null ? transactionalIdPrefix : "modelcast-" + groupId + "-" + outputTopic,
                Optional.ofNullable(rejectedModelsTopic));
        if (source == InputSource.KAFKA) {
            checkKafka(kafka);
        }
        return new JobOptions(source, host, port, kafka, modelsUri(models), modelPollInterval,
                parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism),
                outputFormat, maxPending, modelBytes, Optional.ofNullable(maxModelAge), checkpointInterval,
                inputFormat, batchSize, batchTimeout, remoteRequests, remoteOrder,
                jdbcUrl == null ? Optional.empty() : Optional.of(new JdbcOptions(jdbcUrl, jdbcTable)));
    }

    private void checkKafka(KafkaOptions kafka) {
        List<String> topics = new ArrayList<>(List.of(kafka.inputTopic(), kafka.outputTopic(), kafka.deadLetterTopic()));
        kafka.preprocessedTopic().ifPresent(topics::add);
        kafka.rejectedModelsTopic().ifPresent(topics::add);
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new IllegalArgumentException("the Kafka topics (--input-topic, --output-topic, --dead-letter-topic,"
                    + " --preprocessed-topic, --rejected-models-topic) must all differ (a topic written and read by"
                    + " the job would loop): " + topics);
        }
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && checkpointInterval.compareTo(KafkaPipeline.MAX_CHECKPOINT_INTERVAL) > 0) {
            throw new IllegalArgumentException("--checkpoint-interval must be at most "
                    + Durations.format(KafkaPipeline.MAX_CHECKPOINT_INTERVAL) + " with exactly-once delivery:"
                    + " transactions stay open for an interval and time out after "
                    + Durations.format(KafkaPipeline.TRANSACTION_TIMEOUT));
        }
    }

    private static void requirePositive(Duration duration, String option) {
        if (duration.isZero()) {
            throw new IllegalArgumentException(option + " must be longer than 0s");
        }
    }

    /** A URI with a scheme is kept; anything else is a local path, made absolute here. */
    static URI modelsUri(String models) {
        if (models.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            try {
                return new URI(models);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--models is not a valid URI: " + e.getMessage(), e);
            }
        }
        return Paths.get(models).toAbsolutePath().normalize().toUri();
    }
}
