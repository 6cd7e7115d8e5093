package io.modelcast.job.options;

import io.modelcast.job.InputFormat;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** How inputs are scored: their format, batches, parallelism, what waits for a model, what is stale. */
public final class ScoringArgs {

    public static final String DEFAULT_INPUT_FORMAT = "int";
    public static final String DEFAULT_BATCH_SIZE = "64";
    public static final String DEFAULT_MAX_PENDING = "100000";

    @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = DEFAULT_INPUT_FORMAT,
            description = "What each input holds: int (one integer, for the custom model), csv (comma-separated"
                    + " numbers) or json ({\"id\": …, \"features\": [...]}), for logistic and onnx models. A model that"
                    + " takes the other kind of input is rejected. Default: ${DEFAULT-VALUE}.")
    InputFormat inputFormat;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = DEFAULT_BATCH_SIZE,
            description = "At most this many records go into one batch and one model call (for ONNX, one"
                    + " inference; for a remote model, one request). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Parallelism of the scoring operator. Default: the cluster's default parallelism.")
    Integer parallelism;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = DEFAULT_MAX_PENDING,
            description = "Records each scoring subtask holds, in checkpointed state, until the first model"
                    + " arrives; more are rejected (no model yet). Default: ${DEFAULT-VALUE}.")
    int maxPending;

    @Option(names = "--max-model-age", paramLabel = "DURATION",
            description = "Hold back results of a model published longer ago than this: they go to the stale"
                    + " output (socket) or the dead-letter topic (Kafka) instead. Default: no limit.")
    Duration maxModelAge;

    public ScoringOptions toOptions() {
        return new ScoringOptions(inputFormat, batchSize,
                parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism), maxPending,
                Optional.ofNullable(maxModelAge));
    }
}
