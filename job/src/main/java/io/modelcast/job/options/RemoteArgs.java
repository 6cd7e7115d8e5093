package io.modelcast.job.options;

import io.modelcast.job.options.RemoteOptions.RemoteOrder;

import picocli.CommandLine.Option;

/** Scoring with remote models. */
public final class RemoteArgs {

    /**
     * The default {@code --remote-requests}: 0, no remote scoring. The async step's results join
     * the local ones in a union, and an operator fed by a union is never chained: every local
     * result would cross one more network buffer (a tenth of the throughput in the benchmark).
     */
    public static final String DEFAULT_REQUESTS = "0";
    public static final String DEFAULT_ORDER = "ordered";

    @Option(names = "--remote-requests", paramLabel = "N", defaultValue = DEFAULT_REQUESTS,
            description = "Remote models: the most requests to the model server in flight per scoring subtask"
                    + " (64 is a good start); more inputs wait (back-pressure). 0 turns remote scoring off: remote"
                    + " model files are rejected, and local results reach the sinks without an extra hop."
                    + " Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--remote-order", paramLabel = "ORDER", defaultValue = DEFAULT_ORDER,
            description = "Remote models: ordered (results leave in input order) or unordered (as calls"
                    + " complete; a slow call holds nothing back). Default: ${DEFAULT-VALUE}.")
    RemoteOrder order;

    public RemoteOptions toOptions() {
        return new RemoteOptions(requests, order);
    }
}
