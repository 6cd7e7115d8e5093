package io.modelcast.job.options;

import java.util.Objects;

/**
 * Scoring with remote models: how many requests may be in flight per scoring subtask, and in which
 * order results leave. With no requests allowed, remote scoring is off: the graph has no async
 * step, and remote model files are rejected.
 */
public record RemoteOptions(int requests, RemoteOrder order) {

    /** Whether results of a remote model keep the order of their inputs. */
    public enum RemoteOrder {
        /** In input order (per scoring subtask): a slow call holds back the results behind it. */
        ORDERED,
        /** As calls complete: a slow call holds back nothing; order between results is lost. */
        UNORDERED
    }

    public RemoteOptions {
        Objects.requireNonNull(order, "order");
        if (requests < 0) {
            throw new IllegalArgumentException("--remote-requests must not be negative, was " + requests);
        }
    }

    /** Whether the job scores with remote models at all. */
    public boolean enabled() {
        return requests > 0;
    }
}
