package io.modelcast.job;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ManifestVersion;
import io.modelcast.model.file.ModelFileCodec;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.time.Duration;
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
            "Scores a stream of integers (one per line, from a TCP socket) with the newest model"
                    + " published in --models, replacing the model while the job runs."
        })
public class JobArguments {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Host of the TCP socket to read lines from. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9999",
            description = "Port of the TCP socket to read lines from. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--models", paramLabel = "DIR", required = true,
            description = "Model directory to watch: a local path (made absolute) or a URI such as"
                    + " hdfs://… or s3://…. On a cluster, every TaskManager and the JobManager must see it.")
    String models;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
            description = "How often the model directory is listed for new files. Default: ${DEFAULT-VALUE}.")
    Duration modelPollInterval;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Parallelism of the scoring operator. Default: the cluster's default parallelism.")
    Integer parallelism;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: the model's output alone (070707); json: one JSON object per record with"
                    + " input, output, modelVersion and subtask. Default: ${DEFAULT-VALUE}.")
    OutputFormat outputFormat;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "100000",
            description = "Records each scoring subtask holds, in checkpointed state, until the first model"
                    + " arrives; more go to the no-model-yet output. Default: ${DEFAULT-VALUE}.")
    int maxPending;

    /**
     * Parses the job's arguments.
     *
     * @return the options, or empty if help or the version was asked for (and printed to {@code out})
     * @throws IllegalArgumentException if the arguments are wrong; the message says how
     */
    public static Optional<JobOptions> parse(String[] args, PrintWriter out) {
        JobArguments arguments = new JobArguments();
        return parse(arguments, args, out).map(ignored -> arguments.toOptions());
    }

    /** Parses into any picocli command object; empty if help was printed. */
    static Optional<CommandLine> parse(Object command, String[] args, PrintWriter out) {
        CommandLine commandLine = CommandLines.create(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
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

    JobOptions toOptions() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, was " + port);
        }
        if (modelPollInterval.isZero()) {
            throw new IllegalArgumentException("--model-poll-interval must be longer than 0s");
        }
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("--max-pending must not be negative, was " + maxPending);
        }
        return new JobOptions(host, port, modelsUri(models), modelPollInterval,
                parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism),
                outputFormat, maxPending, ModelFileCodec.DEFAULT_MAX_BYTES);
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
