package io.modelcast.job.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Labels that arrive after the predictions they judge, and the live evaluation they feed. */
public final class LabelArgs {

    public static final String DEFAULT_LABEL_WAIT = "10m";
    public static final String DEFAULT_EVAL_WINDOW = "1m";
    public static final String DEFAULT_LABEL_HOST = "127.0.0.1";

    @Option(names = "--label-port", paramLabel = "PORT",
            description = "Read labels as `id,label` lines (label 0 or 1) from a TCP socket on this port of --label-host.")
    Integer labelPort;

    @Option(names = "--label-host", paramLabel = "HOST", defaultValue = DEFAULT_LABEL_HOST,
            description = "With --label-port: the host to connect to. Default: ${DEFAULT-VALUE}.")
    String labelHost;

    @Option(names = "--label-topic", paramLabel = "TOPIC",
            description = "Kafka mode: read labels from this topic, each a JSON value {\"id\": …, \"label\": 0|1}"
                    + " (the key, if any, is the id).")
    String labelTopic;

    @Option(names = "--label-wait", paramLabel = "DURATION", defaultValue = DEFAULT_LABEL_WAIT,
            description = "How long a prediction waits for its label (and a label for its prediction); later labels"
                    + " are counted as unmatched. Default: ${DEFAULT-VALUE}.")
    Duration labelWait;

    @Option(names = "--eval-window", paramLabel = "DURATION", defaultValue = DEFAULT_EVAL_WINDOW,
            description = "With labels: each model version's accuracy, log-loss and AUC are reported per window of"
                    + " this length. Default: ${DEFAULT-VALUE}.")
    Duration evalWindow;

    @Option(names = "--eval-topic", paramLabel = "TOPIC",
            description = "Kafka mode: write evaluation records to this topic (else `eval>` lines on standard output).")
    String evalTopic;

    @Option(names = "--examples-topic", paramLabel = "TOPIC",
            description = "Kafka mode: write each labelled prediction as a training example {\"id\",\"model\",\"modelVersion\","
                    + "\"features\",\"label\",\"score\"} to this topic, with the job's delivery guarantee, for"
                    + " `fitter train --from-kafka`.")
    String examplesTopic;

    @Option(names = "--examples-dir", paramLabel = "DIR",
            description = "Write each labelled prediction as a training example (one JSON line, as on --examples-topic)"
                    + " into rolling files under this directory, finished at each checkpoint, for"
                    + " `fitter train --from-files`.")
    String examplesDir;

    public LabelOptions toOptions() {
        return new LabelOptions(Optional.ofNullable(labelPort), labelHost, Optional.ofNullable(labelTopic), labelWait,
                evalWindow, Optional.ofNullable(evalTopic), Optional.ofNullable(examplesTopic),
                Optional.ofNullable(examplesDir).map(dir -> Path.of(dir).toAbsolutePath().toUri()));
    }
}
