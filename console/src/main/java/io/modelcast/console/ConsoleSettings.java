package io.modelcast.console;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the console serves and from where, checked once. Each source is optional; the page says
 * plainly which are not connected.
 *
 * @param host the address to listen on: loopback unless a token guards the console
 * @param port the port to listen on (0: any free one)
 * @param models the models directory (as {@code --models} of the job and the fitter), if any
 * @param flinkRest the Flink REST API the running job is read from, if any
 * @param results the PostgreSQL table of results ({@code --jdbc-url} of the job), if any
 * @param token what a request that changes state must carry, if actions are possible
 * @param allowActions whether promote, rollback and retire are offered at all
 * @param lines the job's output file, followed for its report, evaluation and drift lines, if any
 * @param topics the job's report, evaluation and drift topics and how to reach them, if any
 */
public record ConsoleSettings(String host, int port, Optional<Path> models, Optional<URI> flinkRest,
        Optional<ResultsSearch.Source> results, Optional<String> token, boolean allowActions, Optional<Path> lines,
        Optional<Topics> topics) {

    /**
     * The job's topics of reports, evaluations and drift, its model topic if the models are read
     * from one, and the consumer settings that reach them.
     */
    public record Topics(java.util.Properties client, java.util.Map<String, EvidenceLog.Kind> kinds, Optional<String> modelTopic) {

        public Topics(java.util.Properties client, java.util.Map<String, EvidenceLog.Kind> kinds) {
            this(client, kinds, Optional.empty());
        }
    }

    /** Settings without the job's evidence (reports, evaluations, drift). */
    public ConsoleSettings(String host, int port, Optional<Path> models, Optional<URI> flinkRest,
            Optional<ResultsSearch.Source> results, Optional<String> token, boolean allowActions) {
        this(host, port, models, flinkRest, results, token, allowActions, Optional.empty(), Optional.empty());
    }

    public ConsoleSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(flinkRest, "flinkRest");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(topics, "topics");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, was " + port);
        }
        if (models.isPresent() && topics.flatMap(Topics::modelTopic).isPresent()) {
            throw new IllegalArgumentException("--models and --model-topic are two places models are published: give one");
        }
        if (allowActions && token.isEmpty()) {
            throw new IllegalArgumentException("--allow-actions needs --token-file: every action must carry the token");
        }
        if (!isLoopback(host) && token.isEmpty()) {
            throw new IllegalArgumentException("--host " + host + " is reachable from other machines: give --token-file, or"
                    + " keep the default 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + " is not an address of this machine: " + e.getMessage());
        }
    }
}
