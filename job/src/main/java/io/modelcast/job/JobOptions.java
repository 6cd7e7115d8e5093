package io.modelcast.job;

import io.modelcast.model.file.ModelFileCodec;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The job's settings, parsed once from the command line ({@link JobArguments}) and immutable.
 *
 * @param host the host the socket source connects to
 * @param port the port the socket source connects to
 * @param models the model directory, as a URI ({@code file:///…}, {@code hdfs://…}, {@code s3://…})
 * @param modelPollInterval how often the model directory is listed
 * @param scoringParallelism the scoring operator's parallelism; empty: the environment's default
 * @param outputFormat how scored records are printed
 * @param maxPending how many records a scoring subtask holds while it has no model
 * @param maxModelBytes the largest model file accepted
 */
public record JobOptions(
        String host,
        int port,
        URI models,
        Duration modelPollInterval,
        OptionalInt scoringParallelism,
        OutputFormat outputFormat,
        int maxPending,
        long maxModelBytes) {

    public JobOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(modelPollInterval, "modelPollInterval");
        Objects.requireNonNull(scoringParallelism, "scoringParallelism");
        Objects.requireNonNull(outputFormat, "outputFormat");
    }

    /** Options for scoring lines from {@code host:port} with models from {@code models}, all else default. */
    public static JobOptions defaults(String host, int port, URI models) {
        return new JobOptions(host, port, models, Duration.ofMillis(500), OptionalInt.empty(),
                OutputFormat.TEXT, 100_000, ModelFileCodec.DEFAULT_MAX_BYTES);
    }

    public JobOptions withModelPollInterval(Duration interval) {
        return new JobOptions(host, port, models, interval, scoringParallelism, outputFormat, maxPending, maxModelBytes);
    }

    public JobOptions withScoringParallelism(int parallelism) {
        return new JobOptions(host, port, models, modelPollInterval, OptionalInt.of(parallelism), outputFormat, maxPending, maxModelBytes);
    }

    public JobOptions withMaxPending(int pending) {
        return new JobOptions(host, port, models, modelPollInterval, scoringParallelism, outputFormat, pending, maxModelBytes);
    }
}
