package io.modelcast.job;

import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.model.file.ModelFileCodec;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The job's settings, parsed once from the command line ({@link JobArguments}) and immutable.
 *
 * @param source where input records come from
 * @param host the host the socket source connects to
 * @param port the port the socket source connects to
 * @param kafka the Kafka source and sinks, used with {@link InputSource#KAFKA}
 * @param models the model directory, as a URI ({@code file:///…}, {@code hdfs://…}, {@code s3://…})
 * @param modelPollInterval how often the model directory is listed
 * @param scoringParallelism the scoring operator's parallelism; empty: the environment's default
 * @param outputFormat how scored records are printed (socket source)
 * @param maxPending how many records a scoring subtask holds while it has no model
 * @param maxModelBytes the largest model file accepted
 * @param checkpointInterval how often the job checkpoints (and commits Kafka transactions)
 */
public record JobOptions(
        InputSource source,
        String host,
        int port,
        KafkaOptions kafka,
        URI models,
        Duration modelPollInterval,
        OptionalInt scoringParallelism,
        OutputFormat outputFormat,
        int maxPending,
        long maxModelBytes,
        Duration checkpointInterval) {

    public JobOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(modelPollInterval, "modelPollInterval");
        Objects.requireNonNull(scoringParallelism, "scoringParallelism");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    }

    /** Options for scoring lines from {@code host:port} with models from {@code models}, all else default. */
    public static JobOptions socket(String host, int port, URI models) {
        return new JobOptions(InputSource.SOCKET, host, port, KafkaOptions.defaults("127.0.0.1:9092"), models,
                Duration.ofMillis(500), OptionalInt.empty(), OutputFormat.TEXT, 100_000,
                ModelFileCodec.DEFAULT_MAX_BYTES, Duration.ofSeconds(5));
    }

    /** Options for scoring a Kafka topic with models from {@code models}, all else default. */
    public static JobOptions kafka(KafkaOptions kafka, URI models) {
        return socket("127.0.0.1", 9999, models).withKafka(kafka);
    }

    public JobOptions withKafka(KafkaOptions settings) {
        return new JobOptions(InputSource.KAFKA, host, port, settings, models, modelPollInterval, scoringParallelism,
                outputFormat, maxPending, maxModelBytes, checkpointInterval);
    }

    public JobOptions withModelPollInterval(Duration interval) {
        return new JobOptions(source, host, port, kafka, models, interval, scoringParallelism, outputFormat,
                maxPending, maxModelBytes, checkpointInterval);
    }

    public JobOptions withScoringParallelism(int parallelism) {
        return new JobOptions(source, host, port, kafka, models, modelPollInterval, OptionalInt.of(parallelism),
                outputFormat, maxPending, maxModelBytes, checkpointInterval);
    }

    public JobOptions withMaxPending(int pending) {
        return new JobOptions(source, host, port, kafka, models, modelPollInterval, scoringParallelism, outputFormat,
                pending, maxModelBytes, checkpointInterval);
    }

    public JobOptions withCheckpointInterval(Duration interval) {
        return new JobOptions(source, host, port, kafka, models, modelPollInterval, scoringParallelism, outputFormat,
                maxPending, maxModelBytes, interval);
    }
}
