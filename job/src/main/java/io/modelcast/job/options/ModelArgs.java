package io.modelcast.job.options;

import io.modelcast.model.ModelName;

import io.modelcast.cli.Sizes;

import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;

/** Where models come from (a directory, a topic), and how records find their model. */
public final class ModelArgs {

    public static final String DEFAULT_POLL_INTERVAL = "500ms";
    public static final String DEFAULT_MAX_MODEL_BYTES = "64MiB";
    public static final String DEFAULT_MAX_MODELS = "1000";

    @Option(names = "--models", paramLabel = "DIR",
            description = "Model directory to watch: a local path (made absolute) or a URI such as"
                    + " hdfs://… or s3://…. On a cluster, every TaskManager and the JobManager must see it."
                    + " This, --model-topic, or both.")
    String models;

    @Option(names = "--model-topic", paramLabel = "TOPIC",
            description = "Kafka topic of model versions (key: the model name; value: a model file's bytes), read"
                    + " read_committed from its beginning, offsets in the checkpoints: at start-up only each name's newest"
                    + " valid version is applied. Its brokers are --bootstrap-servers, with --kafka-properties, also with"
                    + " --source socket. This, --models, or both.")
    String modelTopic;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = DEFAULT_POLL_INTERVAL,
            description = "How often the model directory is listed for new files. Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(names = "--max-model-bytes", paramLabel = "SIZE", defaultValue = DEFAULT_MAX_MODEL_BYTES,
            description = "Largest model file accepted (the model lives on the heap of every scoring subtask)."
                    + " Default: ${DEFAULT-VALUE}.")
    String maxModelBytes;

    @Option(names = "--max-models", paramLabel = "N", defaultValue = DEFAULT_MAX_MODELS,
            description = "Most model names the job holds (each is on the heap of every scoring subtask); a version of a"
                    + " new name beyond it is rejected (TOO_MANY_MODELS). Default: ${DEFAULT-VALUE}.")
    int maxModels;

    @Option(names = "--model-name", paramLabel = "NAME", defaultValue = ModelName.DEFAULT,
            description = "The model of records that name none (a JSON input's \"model\" field or the Kafka header"
                    + " modelcast-model names one). Default: ${DEFAULT-VALUE}.")
    String modelName;

    @Option(names = "--model-store", paramLabel = "DIR",
            description = "Where the loader keeps a copy of each model it lets through, so checkpoints hold a reference"
                    + " instead of a copy per scoring subtask: a path or URI every TaskManager can read, or none (the"
                    + " bytes go into broadcast state). Default: model-store/ in the checkpoint directory"
                    + " (execution.checkpointing.dir), or none if the job's configuration names no checkpoint directory.")
    String modelStore;

    @Option(names = "--report-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often a rollout report compares each challenger with its champion (report> lines, or"
                    + " --report-topic in Kafka mode). Default: ${DEFAULT-VALUE}.")
    Duration reportInterval;

    public ModelOptions toOptions() {
        long bytes;
        try {
            bytes = Sizes.parse(maxModelBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-model-bytes: " + e.getMessage(), e);
        }
        return new ModelOptions(Optional.ofNullable(models).map(ModelArgs::modelsUri), Optional.ofNullable(modelTopic),
                pollInterval, bytes, maxModels, modelName, reportInterval, ModelStoreChoice.parse(modelStore));
    }

    /** A URI with a scheme is kept; anything else is a local path, made absolute here. */
    public static URI modelsUri(String models) {
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
