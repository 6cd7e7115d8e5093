package io.modelcast.job.options;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The model directory the job watches.
 *
 * @param directory the directory, as a URI ({@code file:///…}, {@code hdfs://…}, {@code s3://…})
 * @param pollInterval how often it is listed
 * @param maxModelBytes the largest model file accepted
 */
public record ModelOptions(URI directory, Duration pollInterval, long maxModelBytes) {

    public ModelOptions {
        Objects.requireNonNull(directory, "directory");
        Options.requirePositive(pollInterval, "--model-poll-interval");
        if (maxModelBytes < 1 || maxModelBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-model-bytes must be between 1 byte and 2GiB, was " + maxModelBytes);
        }
    }
}
