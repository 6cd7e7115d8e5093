package io.modelcast.job.options;

import io.modelcast.job.OutputFormat;

import picocli.CommandLine.Option;

/** The socket source's options ({@code --source socket}, the default). */
public final class SocketArgs {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_PORT = "9999";
    public static final String DEFAULT_OUTPUT_FORMAT = "text";

    @Option(names = "--host", paramLabel = "HOST", defaultValue = DEFAULT_HOST,
            description = "Socket source: host to read lines from. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = DEFAULT_PORT,
            description = "Socket source: port to read lines from. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = DEFAULT_OUTPUT_FORMAT,
            description = "Socket source: text prints the model's output alone (070707); json prints one JSON"
                    + " object per record with input, output, modelVersion and subtask. Default: ${DEFAULT-VALUE}.")
    OutputFormat outputFormat;

    public SocketOptions toOptions() {
        return new SocketOptions(host, port, outputFormat);
    }
}
