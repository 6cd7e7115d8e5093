package io.modelcast.job;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.EnumNames;
import io.modelcast.cli.ManifestVersion;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.kafka.KafkaOptions.StartingOffsets;
import io.modelcast.job.options.DriftArgs;
import io.modelcast.job.options.EventArgs;
import io.modelcast.job.options.JdbcArgs;
import io.modelcast.job.options.KafkaArgs;
import io.modelcast.job.options.LabelArgs;
import io.modelcast.job.options.ModelArgs;
import io.modelcast.job.options.RemoteArgs;
import io.modelcast.job.options.RemoteOptions.RemoteOrder;
import io.modelcast.job.options.ScoringArgs;
import io.modelcast.job.options.SocketArgs;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job's command-line options, one mixin per concern (socket, Kafka, models, scoring, remote,
 * JDBC), each yielding a record that checks itself. Arguments are separated by spaces and need no
 * shell quoting, so the Flink web UI's "Program Arguments" field can pass them as typed.
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

    public static final String DEFAULT_SOURCE = "socket";
    public static final String DEFAULT_CHECKPOINT_INTERVAL = "5s";

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = DEFAULT_SOURCE,
            description = "Where input comes from: socket or kafka. Default: ${DEFAULT-VALUE}.")
    InputSource source;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = DEFAULT_CHECKPOINT_INTERVAL,
            description = "How often the job checkpoints; Kafka results become visible to read_committed"
                    + " consumers at each checkpoint. Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    /** This command's spec, or, mixed into another command, its own part of that one. */
    @Spec CommandSpec spec;

    @Mixin(name = "socket") SocketArgs socket;
    @Mixin(name = "kafka") KafkaArgs kafka;
    @Mixin ModelArgs models;
    @Mixin ScoringArgs scoring;
    @Mixin RemoteArgs remote;
    @Mixin JdbcArgs jdbc;
    @Mixin LabelArgs labels;
    @Mixin DriftArgs drift;
    @Mixin EventArgs events;

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

    /**
     * Parses arguments that do not ask for help: for the benchmark job and the tests, which take
     * their options the way users do.
     *
     * @throws IllegalArgumentException if the arguments are wrong, or ask for help
     */
    public static JobOptions parse(String... args) {
        return parse(args, new PrintWriter(Writer.nullWriter()))
                .orElseThrow(() -> new IllegalArgumentException("help was asked for: " + String.join(" ", args)));
    }

    /**
     * The command line the job parses with, for any picocli command object that mixes these options
     * in ({@code new JobArguments()} for the job itself): converters and help as the job has them.
     * Parsing it checks the options' names and types without running anything.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = CommandLines.create(command);
        commandLine.registerConverter(InputSource.class, EnumNames.converter(InputSource.class));
        commandLine.registerConverter(OutputFormat.class, EnumNames.converter(OutputFormat.class));
        commandLine.registerConverter(InputFormat.class, EnumNames.converter(InputFormat.class));
        commandLine.registerConverter(StartingOffsets.class, EnumNames.converter(StartingOffsets.class));
        commandLine.registerConverter(Delivery.class, EnumNames.converter(Delivery.class));
        commandLine.registerConverter(RemoteOrder.class, EnumNames.converter(RemoteOrder.class));
        // The job's main returns or throws; it has no exit codes of its own to list.
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("").exitCodeList(Map.of());
        return commandLine;
    }

    /** Parses into any picocli command object (one that mixes these options in); empty if help was printed. */
    public static Optional<CommandLine> parse(Object command, String[] args, PrintWriter out) {
        CommandLine commandLine = commandLine(command);
        commandLine.setOut(out);
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

    /** The Kafka options that also apply with --source socket when models come from --model-topic: its brokers and client. */
    private static final Set<String> MODEL_TOPIC_CLIENT_OPTIONS =
            Set.of("--bootstrap-servers", "--kafka-properties", "--kafka-property", "--consumer-property");

    /** The options of a parse of this command, or of one it is mixed into. */
    public JobOptions toOptions(ParseResult parsed) {
        String unused = source == InputSource.KAFKA ? "socket" : "kafka";
        boolean modelTopic = parsed.hasMatchedOption("--model-topic");
        for (OptionSpec option : spec.mixins().get(unused).options()) {
            if (parsed.hasMatchedOption(option) && !(modelTopic && MODEL_TOPIC_CLIENT_OPTIONS.contains(option.longestName()))) {
                throw new IllegalArgumentException(option.longestName() + " does not apply with --source "
                        + EnumNames.of(source) + (source == InputSource.SOCKET ? " (add --source kafka)" : ""));
            }
        }
        return new JobOptions(source, socket.toOptions(), kafka.toOptions(), models.toOptions(), scoring.toOptions(),
                remote.toOptions(), jdbc.toOptions(), labels.toOptions(), drift.toOptions(), events.toOptions(),
                checkpointInterval);
    }
}
