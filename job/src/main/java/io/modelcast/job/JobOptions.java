package io.modelcast.job;

import io.modelcast.job.jdbc.JdbcOptions;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.model.file.ModelFileCodec;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The job's settings, parsed once from the command line ({@link JobArguments}) and immutable.
 *
 * @param source where input records come from
 * @param host the host the socket source connects to
 * @param port the port the socket source connects to
 * @param kafka the Kafka source and sinks, used with {@link InputSource#KAFKA}
 * @param models the model directory, as a URI ({@code file:///…}, {@code hdfs://…}, {@code s3://…})
 * @param modelPollInterval how often the model directory is listed
 * @param scoringParallelism the scoring operator's parallelism; empty: the environment's default
 * @param outputFormat how scored records are printed (socket source)
 * @param maxPending how many records a scoring subtask holds while it has no model
 * @param maxModelBytes the largest model file accepted
 * @param maxModelAge results of an older model are held back as stale; empty: no limit
 * @param checkpointInterval how often the job checkpoints (and commits Kafka transactions)
 * @param inputFormat what each input holds: an integer, or a feature vector (csv, json)
 * @param batchSize at most this many records go into one batch, and one call of a feature model
 * @param batchTimeout Kafka path: the longest a record waits for its batch to fill
 * @param remoteRequests remote models: the most requests in flight per scoring subtask; 0 for no remote scoring
 * @param remoteOrder remote models: whether results leave in input order, or as calls complete
 * @param jdbc where results also go, one row per input, if anywhere
 */
public record JobOptions(
        InputSource source,
        String host,
        int port,
        KafkaOptions kafka,
        URI models,
        Duration modelPollInterval,
        OptionalInt scoringParallelism,
        OutputFormat outputFormat,
        int maxPending,
        long maxModelBytes,
        Optional<Duration> maxModelAge,
        Duration checkpointInterval,
        InputFormat inputFormat,
        int batchSize,
        Duration batchTimeout,
        int remoteRequests,
        RemoteOrder remoteOrder,
        Optional<JdbcOptions> jdbc) {

    /** The default {@code --batch-size}. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /**
     * The default {@code --remote-requests}: 0, no remote scoring. The async step's results join
     * the local ones in a union, and an operator fed by a union is never chained: every local
     * result would cross one more network buffer (a tenth of the throughput in the benchmark).
     */
    public static final int DEFAULT_REMOTE_REQUESTS = 0;

    /** The default {@code --batch-timeout}. */
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofMillis(10);

    public JobOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(modelPollInterval, "modelPollInterval");
        Objects.requireNonNull(scoringParallelism, "scoringParallelism");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(maxModelAge, "maxModelAge");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(inputFormat, "inputFormat");
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
        }
        Objects.requireNonNull(batchTimeout, "batchTimeout");
        if (batchTimeout.isNegative()) {
            throw new IllegalArgumentException("--batch-timeout must not be negative, was " + batchTimeout);
        }
        if (remoteRequests < 0) {
            throw new IllegalArgumentException("--remote-requests must not be negative, was " + remoteRequests);
        }
        Objects.requireNonNull(remoteOrder, "remoteOrder");
        Objects.requireNonNull(jdbc, "jdbc");
    }

    /** Whether results of a remote model keep the order of their inputs. */
    public enum RemoteOrder {
        /** In input order (per scoring subtask): a slow call holds back the results behind it. */
        ORDERED,
        /** As calls complete: a slow call holds back nothing; order between results is lost. */
        UNORDERED
    }

    /** Options for scoring lines from {@code host:port} with models from {@code models}, all else default. */
    public static JobOptions socket(String host, int port, URI models) {
        return new JobOptions(InputSource.SOCKET, host, port, KafkaOptions.defaults("127.0.0.1:9092"), models,
                Duration.ofMillis(500), OptionalInt.empty(), OutputFormat.TEXT, 100_000,
                ModelFileCodec.DEFAULT_MAX_BYTES, Optional.empty(), Duration.ofSeconds(5), InputFormat.INT,
                DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TIMEOUT, DEFAULT_REMOTE_REQUESTS, RemoteOrder.ORDERED, Optional.empty());
    }

    /** Options for scoring a Kafka topic with models from {@code models}, all else default. */
    public static JobOptions kafka(KafkaOptions kafka, URI models) {
        return socket("127.0.0.1", 9999, models).toBuilder().source(InputSource.KAFKA).kafka(kafka).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public JobOptions withKafka(KafkaOptions settings) {
        return toBuilder().source(InputSource.KAFKA).kafka(settings).build();
    }

    public JobOptions withModelPollInterval(Duration interval) {
        return toBuilder().modelPollInterval(interval).build();
    }

    public JobOptions withScoringParallelism(int parallelism) {
        return toBuilder().scoringParallelism(OptionalInt.of(parallelism)).build();
    }

    public JobOptions withMaxPending(int pending) {
        return toBuilder().maxPending(pending).build();
    }

    public JobOptions withCheckpointInterval(Duration interval) {
        return toBuilder().checkpointInterval(interval).build();
    }

    public JobOptions withMaxModelAge(Duration age) {
        return toBuilder().maxModelAge(Optional.of(age)).build();
    }

    public JobOptions withInputFormat(InputFormat format) {
        return toBuilder().inputFormat(format).build();
    }

    public JobOptions withBatchSize(int size) {
        return toBuilder().batchSize(size).build();
    }

    public JobOptions withBatchTimeout(Duration timeout) {
        return toBuilder().batchTimeout(timeout).build();
    }

    public JobOptions withRemoteRequests(int requests, RemoteOrder order) {
        return toBuilder().remoteRequests(requests).remoteOrder(order).build();
    }

    public JobOptions withJdbc(JdbcOptions options) {
        return toBuilder().jdbc(Optional.of(options)).build();
    }

    public JobOptions withMaxModelBytes(long bytes) {
        return toBuilder().maxModelBytes(bytes).build();
    }

    /** A copy of some options with some fields changed. */
    public static final class Builder {
        private InputSource source;
        private String host;
        private int port;
        private KafkaOptions kafka;
        private URI models;
        private Duration modelPollInterval;
        private OptionalInt scoringParallelism;
        private OutputFormat outputFormat;
        private int maxPending;
        private long maxModelBytes;
        private Optional<Duration> maxModelAge;
        private Duration checkpointInterval;
        private InputFormat inputFormat;
        private int batchSize;
        private Duration batchTimeout;
        private int remoteRequests;
        private RemoteOrder remoteOrder;
        private Optional<JdbcOptions> jdbc;

        private Builder(JobOptions o) {
            source = o.source;
            host = o.host;
            port = o.port;
            kafka = o.kafka;
            models = o.models;
            modelPollInterval = o.modelPollInterval;
            scoringParallelism = o.scoringParallelism;
            outputFormat = o.outputFormat;
            maxPending = o.maxPending;
            maxModelBytes = o.maxModelBytes;
            maxModelAge = o.maxModelAge;
            checkpointInterval = o.checkpointInterval;
            inputFormat = o.inputFormat;
            batchSize = o.batchSize;
            batchTimeout = o.batchTimeout;
            remoteRequests = o.remoteRequests;
            remoteOrder = o.remoteOrder;
            jdbc = o.jdbc;
        }

        public Builder inputFormat(InputFormat value) {
            inputFormat = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder batchTimeout(Duration value) {
            batchTimeout = value;
            return this;
        }

        public Builder remoteRequests(int value) {
            remoteRequests = value;
            return this;
        }

        public Builder remoteOrder(RemoteOrder value) {
            remoteOrder = value;
            return this;
        }

        public Builder jdbc(Optional<JdbcOptions> value) {
            jdbc = value;
            return this;
        }

        public Builder source(InputSource value) {
            source = value;
            return this;
        }

        public Builder kafka(KafkaOptions value) {
            kafka = value;
            return this;
        }

        public Builder modelPollInterval(Duration value) {
            modelPollInterval = value;
            return this;
        }

        public Builder scoringParallelism(OptionalInt value) {
            scoringParallelism = value;
            return this;
        }

        public Builder outputFormat(OutputFormat value) {
            outputFormat = value;
            return this;
        }

        public Builder maxPending(int value) {
            maxPending = value;
            return this;
        }

        public Builder maxModelBytes(long value) {
            maxModelBytes = value;
            return this;
        }

        public Builder maxModelAge(Optional<Duration> value) {
            maxModelAge = value;
            return this;
        }

        public Builder checkpointInterval(Duration value) {
            checkpointInterval = value;
            return this;
        }

        public JobOptions build() {
            return new JobOptions(source, host, port, kafka, models, modelPollInterval, scoringParallelism,
                    outputFormat, maxPending, maxModelBytes, maxModelAge, checkpointInterval, inputFormat, batchSize,
                    batchTimeout, remoteRequests, remoteOrder, jdbc);
        }
    }
}
