package io.modelcast.job.options;

import io.modelcast.cli.Sizes;

import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.time.Duration;

/** The model directory's options. */
public final class ModelArgs {

    public static final String DEFAULT_POLL_INTERVAL = "500ms";
    public static final String DEFAULT_MAX_MODEL_BYTES = "64MiB";

    @Option(names = "--models", paramLabel = "DIR", required = true,
            description = "Model directory to watch: a local path (made absolute) or a URI such as"
                    + " hdfs://… or s3://…. On a cluster, every TaskManager and the JobManager must see it.")
    String models;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = DEFAULT_POLL_INTERVAL,
            description = "How often the model directory is listed for new files. Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(names = "--max-model-bytes", paramLabel = "SIZE", defaultValue = DEFAULT_MAX_MODEL_BYTES,
            description = "Largest model file accepted (the model lives on the heap of every scoring subtask)."
                    + " Default: ${DEFAULT-VALUE}.")
    String maxModelBytes;

    public ModelOptions toOptions() {
        long bytes;
        try {
            bytes = Sizes.parse(maxModelBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-model-bytes: " + e.getMessage(), e);
        }
        return new ModelOptions(modelsUri(models), pollInterval, bytes);
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
