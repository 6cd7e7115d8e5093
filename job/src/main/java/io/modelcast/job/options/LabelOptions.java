package io.modelcast.job.options;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Labels and live evaluation.
 *
 * @param port the TCP port labels are read from as lines, if labels come from a socket
 * @param host the host of {@link #port}
 * @param topic the Kafka topic labels are read from, if they come from Kafka
 * @param labelWait how long a prediction and a label wait for each other
 * @param window the length of an evaluation window
 * @param evalTopic the Kafka topic evaluation records go to; empty: standard output
 * @param examplesTopic the Kafka topic labelled examples go to, if they are written there
 * @param examplesDir the directory labelled examples are written to in rolling files, if they are
 */
public record LabelOptions(Optional<Integer> port, String host, Optional<String> topic, Duration labelWait, Duration window,
        Optional<String> evalTopic, Optional<String> examplesTopic, Optional<URI> examplesDir) {

    public LabelOptions {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(evalTopic, "evalTopic");
        Objects.requireNonNull(examplesTopic, "examplesTopic");
        Objects.requireNonNull(examplesDir, "examplesDir");
        Options.requirePositive(labelWait, "--label-wait");
        Options.requirePositive(window, "--eval-window");
        port.ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("--label-port must be a port from 1 to 65535, was " + p);
            }
        });
        if (port.isPresent() && topic.isPresent()) {
            throw new IllegalArgumentException("labels come from one place: --label-port or --label-topic, not both");
        }
        if (evalTopic.isPresent() && port.isEmpty() && topic.isEmpty()) {
            throw new IllegalArgumentException("--eval-topic needs labels: add --label-topic or --label-port");
        }
        if ((examplesTopic.isPresent() || examplesDir.isPresent()) && port.isEmpty() && topic.isEmpty()) {
            throw new IllegalArgumentException((examplesTopic.isPresent() ? "--examples-topic" : "--examples-dir")
                    + " needs labels: add --label-topic or --label-port");
        }
    }

    /** Whether the job reads labels (and so evaluates its models). */
    public boolean enabled() {
        return port.isPresent() || topic.isPresent();
    }

    /** Whether labelled examples are written anywhere. */
    public boolean writesExamples() {
        return examplesTopic.isPresent() || examplesDir.isPresent();
    }
}
