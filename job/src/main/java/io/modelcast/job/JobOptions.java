package io.modelcast.job;

import io.modelcast.cli.Durations;
import io.modelcast.job.jdbc.JdbcOptions;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.job.options.DriftOptions;
import io.modelcast.job.options.EventOptions;
import io.modelcast.job.options.LabelOptions;
import io.modelcast.job.options.ModelOptions;
import io.modelcast.job.options.RemoteOptions;
import io.modelcast.job.options.ScoringOptions;
import io.modelcast.job.options.SocketOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The job's settings, parsed once from the command line ({@link JobArguments}, the one parser of the
 * job, the benchmark job and the tests) and immutable: one record per concern, each of which checks
 * itself, and the checks that span concerns here.
 *
 * @param source where input records come from
 * @param socket the socket source and printed results, used with {@link InputSource#SOCKET}
 * @param kafka the Kafka source and sinks, used with {@link InputSource#KAFKA}
 * @param models the model directory
 * @param scoring how inputs are scored
 * @param remote scoring with remote models
 * @param jdbc where results also go, one row per input, if anywhere
 * @param labels labels that judge the predictions, and the live evaluation
 * @param drift drift of inputs and scores from the models' training data
 * @param events raw events and their features ({@code --input-format events})
 * @param checkpointInterval how often the job checkpoints (and commits Kafka transactions)
 */
public record JobOptions(
        InputSource source,
        SocketOptions socket,
        KafkaOptions kafka,
        ModelOptions models,
        ScoringOptions scoring,
        RemoteOptions remote,
        Optional<JdbcOptions> jdbc,
        LabelOptions labels,
        DriftOptions drift,
        EventOptions events,
        Duration checkpointInterval) {

    public JobOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(jdbc, "jdbc");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(events, "events");
        if (events.emitFeatures() && scoring.inputFormat() != InputFormat.EVENTS) {
            throw new IllegalArgumentException("--emit-features shows features computed from raw events: add --input-format events");
        }
        if (source != InputSource.KAFKA && drift.topic().isPresent()) {
            throw new IllegalArgumentException("--drift-topic does not apply with --source socket (add --source kafka)");
        }
        if (source != InputSource.KAFKA
                && (labels.topic().isPresent() || labels.evalTopic().isPresent() || labels.examplesTopic().isPresent())) {
            throw new IllegalArgumentException((labels.topic().isPresent() ? "--label-topic"
                    : labels.evalTopic().isPresent() ? "--eval-topic" : "--examples-topic")
                    + " does not apply with --source socket (add --source kafka, or read labels with --label-port)");
        }
        if (labels.writesExamples() && !scoring.inputFormat().hasFeatures()) {
            throw new IllegalArgumentException((labels.examplesTopic().isPresent() ? "--examples-topic" : "--examples-dir")
                    + " needs feature vectors: add --input-format json or csv");
        }
        if (labels.writesExamples() && scoring.inputFormat() == InputFormat.EVENTS && !events.emitFeatures()) {
            throw new IllegalArgumentException((labels.examplesTopic().isPresent() ? "--examples-topic" : "--examples-dir")
                    + " with --input-format events writes the features the job computed, which results carry with"
                    + " --emit-features: add it");
        }
        if (checkpointInterval == null || checkpointInterval.isZero() || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("--checkpoint-interval must be longer than 0s, was " + checkpointInterval);
        }
        if (source == InputSource.KAFKA && kafka.delivery() == KafkaOptions.Delivery.EXACTLY_ONCE
                && checkpointInterval.compareTo(kafka.clients().maxCheckpointInterval()) > 0) {
            throw new IllegalArgumentException("--checkpoint-interval must be at most "
                    + Durations.format(kafka.clients().maxCheckpointInterval()) + " with exactly-once delivery:"
                    + " transactions stay open for an interval and time out after "
                    + Durations.format(kafka.clients().transactionTimeout()) + " (--transaction-timeout)");
        }
    }
}
