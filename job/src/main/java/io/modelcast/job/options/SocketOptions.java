package io.modelcast.job.options;

import io.modelcast.job.OutputFormat;

import java.util.Objects;

/**
 * The socket source ({@code --source socket}): where lines are read, and how results are printed.
 *
 * @param outputFormat how scored records are printed to standard output
 */
public record SocketOptions(String host, int port, OutputFormat outputFormat) {

    public SocketOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(outputFormat, "outputFormat");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, was " + port);
        }
    }
}
