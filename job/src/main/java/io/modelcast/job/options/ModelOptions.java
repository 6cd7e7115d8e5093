package io.modelcast.job.options;

import io.modelcast.model.ModelName;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the job's models come from — a directory it watches, a Kafka topic, or both — and how
 * records find their model.
 *
 * @param directory the directory, as a URI ({@code file:///…}, {@code hdfs://…}, {@code s3://…}), if any
 * @param topic the model topic, if any; read through the Kafka options' brokers and client settings
 * @param pollInterval how often it is listed
 * @param maxModelBytes the largest model file accepted
 * @param maxModels how many model names the job holds at most
 * @param defaultName the model of records that name none
 * @param reportInterval how often rollout reports are made
 * @param store where the loader keeps copies of the models it lets through
 */
public record ModelOptions(Optional<URI> directory, Optional<String> topic, Duration pollInterval, long maxModelBytes, int maxModels, String defaultName,
        Duration reportInterval, ModelStoreChoice store) {

    public ModelOptions {
        Objects.requireNonNull(store, "store");
        Options.requirePositive(reportInterval, "--report-interval");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(topic, "topic");
        if (directory.isEmpty() && topic.isEmpty()) {
            throw new IllegalArgumentException("Missing a model source: --models DIR, --model-topic TOPIC, or both");
        }
        if (maxModels < 1) {
            throw new IllegalArgumentException("--max-models must be at least 1, was " + maxModels);
        }
        if (!ModelName.isValid(defaultName)) {
            throw new IllegalArgumentException("--model-name: " + ModelName.describeInvalid(defaultName));
        }
        Options.requirePositive(pollInterval, "--model-poll-interval");
        if (maxModelBytes < 1 || maxModelBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-model-bytes must be between 1 byte and 2GiB, was " + maxModelBytes);
        }
    }
}
