package io.modelcast.job;

import io.modelcast.cli.ExitCodes;
import io.modelcast.job.sinks.FormatRejections;
import io.modelcast.job.sinks.FormatResult;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.jdbc.JdbcResults;
import io.modelcast.job.kafka.KafkaPipeline;
import io.modelcast.job.labels.Label;
import io.modelcast.job.labels.LabelPipeline;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.sources.ModelDirectorySource;
import io.modelcast.job.sources.socket.SocketSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.PrintSink;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The job's entry point, for {@code flink run}, the web UI's "Submit New Job", and {@link
 * LocalJob}: parses the options, builds the graph and executes it.
 *
 * <p>Wrong options end {@code main} with one line saying what to change: under {@code flink run}
 * on standard error with exit code 2; on web-UI submission, where it runs inside the JobManager and
 * must never call {@code System.exit}, as an {@link IllegalArgumentException} the UI shows.
 */
public final class ModelcastJob {

    public static final String JOB_NAME = "modelcast";

    /** Longer socket lines are cut (and then rejected as too long), so none can take the heap. */
    public static final int MAX_SOCKET_LINE_BYTES = 4096;

    private ModelcastJob() {}

    /**
     * The job's arguments, for submissions that cannot pass any: the Flink 2.x web UI's "Program
     * Arguments" field sends a parameter the REST API no longer reads (FLINK-39310), so a job
     * submitted there gets none. When {@code main} gets no arguments it takes them, separated by
     * white space, from this option of the cluster's configuration.
     */
    public static final ConfigOption<String> JOB_ARGS =
            ConfigOptions.key("modelcast.job.args")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The modelcast job's arguments, used when it is submitted without any.");

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try {
            Optional<JobOptions> options =
                    JobArguments.parse(argumentsOrConfigured(args, env.getConfiguration()),
                            new PrintWriter(System.out, true, StandardCharsets.UTF_8));
            if (options.isEmpty()) {
                return;
            }
            build(env, options.get());
        } catch (IllegalArgumentException e) {
            if (!inCommandLineClient()) {
                // Web UI or REST submission: main runs in the JobManager, which shows the message.
                throw e;
            }
            // flink run: one line saying what to change, and the usage exit code, not a stack trace.
            System.err.println("modelcast: " + e.getMessage());
            System.exit(ExitCodes.USAGE);
        }
        env.execute(JOB_NAME);
    }

    /**
     * Whether main runs in Flink's command-line client ({@code flink run}), its own process, where
     * it may exit; on web-UI or REST submission it runs inside the JobManager and must not.
     */
    static boolean inCommandLineClient() {
        return StackWalker.getInstance().walk(frames ->
                frames.anyMatch(frame -> frame.getClassName().equals("org.apache.flink.client.cli.CliFrontend")));
    }

    /** {@code args}, or, if there are none, those of {@link #JOB_ARGS}; fails saying how to pass them. */
    static String[] argumentsOrConfigured(String[] args, ReadableConfig configuration) {
        if (args.length > 0) {
            return args;
        }
        String configured = configuration.getOptional(JOB_ARGS).orElse("").strip();
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("the job got no arguments (at least --models DIR is needed). Pass them"
                    + " after the jar with flink run, as programArgsList to the REST API, or - since the Flink 2.x"
                    + " web UI does not pass its Program Arguments field on (FLINK-39310) - as "
                    + JOB_ARGS.key() + " in the cluster's config.yaml");
        }
        return configured.split("\\s+");
    }

    /**
     * The execution settings of the job: checkpointing, and object reuse — every operator of this
     * job emits new objects and keeps none it was given by a chained operator, so records pass
     * between chained operators without a defensive copy (a third of the CPU time otherwise).
     */
    public static void configure(StreamExecutionEnvironment env, JobOptions options) {
        env.enableCheckpointing(options.checkpointInterval().toMillis());
        env.getConfig().enableObjectReuse();
        if (options.source() == InputSource.KAFKA && options.kafka().delivery() == Delivery.EXACTLY_ONCE) {
            // A checkpoint that completes after its transactions timed out would lose their results.
            long ceiling = options.kafka().clients().maxCheckpointDuration().toMillis();
            if (env.getCheckpointConfig().getCheckpointTimeout() > ceiling) {
                env.getCheckpointConfig().setCheckpointTimeout(ceiling);
            }
        }
    }

    /** Adds the whole job, sources and sinks included, to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobOptions options) throws IOException {
        configure(env, options);
        DataStream<ModelFileBytes> modelFiles = modelFiles(env, options);
        ScoringPipeline.Outputs scoring;
        if (options.source() == InputSource.KAFKA) {
            KafkaPipeline.Outputs outputs = KafkaPipeline.define(env, options, modelFiles);
            KafkaPipeline.Outputs written = outputs;
            if (options.labels().topic().isPresent()) {
                LabelPipeline.Labels<DeadLetter> labels = LabelPipeline.fromKafka(env, options.kafka(), options.labels().topic().get());
                evaluate(options, outputs.scoring(), labels.labels());
                written = outputs.withDeadLetters(labels.bad());
            } else if (options.labels().port().isPresent()) {
                evaluateSocketLabels(env, options, outputs.scoring());
            }
            KafkaPipeline.write(written, options);
            scoring = outputs.scoring();
            options.jdbc().ifPresent(jdbc ->
                    JdbcResults.write(JdbcResults.rows(outputs.scoring(), null, outputs.invalidRecords()),
                            outputs.scoring().shadow(), outputs.scoring().reports(), jdbc));
        } else {
            // Written to a database, socket lines need a key: each gets a sequence number.
            ScoringPipeline.ParsedLines lines = ScoringPipeline.parseLines(socketLines(env, options), options.scoring().inputFormat(),
                    options.jdbc().isPresent() ? socketSourceName(options) : null);
            scoring = ScoringPipeline.define(options, lines.records(), modelFiles);
            print(scoring, lines.rejected(), options);
            if (options.labels().enabled()) {
                evaluateSocketLabels(env, options, scoring);
            }
            ScoringPipeline.Outputs socketOutputs = scoring;
            options.jdbc().ifPresent(jdbc -> JdbcResults.write(JdbcResults.rows(socketOutputs, lines.rejected(), null),
                    socketOutputs.shadow(), socketOutputs.reports(), jdbc));
        }
        printToStandardError(scoring.rejectedModels(), FormatRejections::model, "rejected-models", "rejected-model");
        ScoringPipeline.Outputs written = scoring;
        options.jdbc().ifPresent(jdbc -> JdbcResults.writeWindowed(written.drift(), jdbc, "drift"));
    }

    /** Evaluates the models from labels read from {@code --label-port}; bad label lines are printed as {@code bad-label>} lines. */
    private static void evaluateSocketLabels(StreamExecutionEnvironment env, JobOptions options, ScoringPipeline.Outputs scoring) {
        LabelPipeline.Labels<RejectedRecord> labels = LabelPipeline.fromSocket(env, options.labels());
        printToStandardError(labels.bad(), FormatRejections::record, "bad-labels", "bad-label");
        evaluate(options, scoring, labels.labels());
    }

    /**
     * Joins the results with {@code labels} and writes each model version's evaluation: to {@code
     * --eval-topic}, or as {@code eval>} lines; labels that matched no prediction as {@code
     * unmatched-label>} lines on standard error; labelled examples to {@code --examples-topic} and
     * {@code --examples-dir}.
     */
    private static void evaluate(JobOptions options, ScoringPipeline.Outputs scoring, DataStream<Label> labels) {
        LabelPipeline.Outputs evaluation = LabelPipeline.define(options.labels(), scoring.scored(), labels,
                options.labels().writesExamples() ? Optional.of(options.scoring().inputFormat()) : Optional.empty());
        if (options.labels().evalTopic().isPresent()) {
            KafkaPipeline.writeLines(evaluation.evaluations(), options.kafka(), options.labels().evalTopic().get(), "evaluations");
        } else {
            printLines(evaluation.evaluations(), "eval");
        }
        printToStandardError(evaluation.unmatched(), FormatRejections::record, "unmatched-labels", "unmatched-label");
        options.jdbc().ifPresent(jdbc -> JdbcResults.writeWindowed(evaluation.evaluations(), jdbc, "evaluations"));
        evaluation.examples().ifPresent(examples -> {
            options.labels().examplesTopic().ifPresent(topic -> KafkaPipeline.writeLines(examples, options.kafka(), topic, "examples"));
            options.labels().examplesDir().ifPresent(dir -> LabelPipeline.writeFiles(examples, dir));
        });
    }

    /**
     * The {@code source_name} of socket lines in the results table: {@code
     * socket:<host>:<port>@<submission time>}. A socket's lines have no identity of their own; the
     * time keeps the rows of one submission apart from those of the next, whose numbering starts
     * again (a restore from a savepoint continues its numbering under the new name).
     */
    public static String socketSourceName(JobOptions options) {
        return "socket:" + options.socket().host() + ":" + options.socket().port() + "@"
                + Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Lines from the TCP socket: connects (and reconnects) to {@code --host:--port}, retrying twice
     * a second while nothing listens, without failing the job.
     */
    public static DataStream<LineBatch> socketLines(StreamExecutionEnvironment env, JobOptions options) {
        return env.fromSource(
                        new SocketSource(options.socket().host(), options.socket().port(), Duration.ofMillis(500),
                                Math.max(MAX_SOCKET_LINE_BYTES, options.scoring().inputFormat().maxInputBytes() + 1)),
                        WatermarkStrategy.noWatermarks(),
                        "Socket " + options.socket().host() + ":" + options.socket().port())
                .uid("socket-source")
                .setParallelism(1);
    }

    /** The model versions: files appearing in the model directory and records of the model topic, each in parallelism 1. */
    public static DataStream<ModelFileBytes> modelFiles(StreamExecutionEnvironment env, JobOptions options)
            throws IOException {
        DataStream<ModelFileBytes> fromDirectory = null;
        if (options.models().directory().isPresent()) {
            Path models = new Path(options.models().directory().get());
            requireDirectory(models);
            fromDirectory = env.fromSource(
                            new ModelDirectorySource(models.toString(), options.models().pollInterval(), options.models().maxModelBytes(),
                                    options.scoring().inputFormat()),
                            WatermarkStrategy.noWatermarks(),
                            "Model files in " + models)
                    .uid("model-directory")
                    .setParallelism(1);
        }
        if (options.models().topic().isEmpty()) {
            return fromDirectory;
        }
        DataStream<ModelFileBytes> fromTopic = KafkaPipeline.readModelTopic(env, options.kafka(), options.models().topic().get(),
                options.source() == InputSource.KAFKA ? options.kafka().topics() : List.of(),
                options.models().maxModelBytes(), options.scoring().inputFormat());
        return fromDirectory == null ? fromTopic : fromDirectory.union(fromTopic);
    }

    /** Socket path: scored records to standard output; rejected records, as JSON, to standard error. */
    static void print(ScoringPipeline.Outputs outputs, DataStream<RejectedRecord> badLines, JobOptions options) {
        outputs.scored()
                .map(new FormatResult(options.socket().outputFormat()))
                .uid("format-output")
                .name("Format output")
                .setParallelism(outputs.scored().getParallelism())
                .sinkTo(new PrintSink<>())
                .uid("print-results")
                .name("Print results")
                .setParallelism(1);
        printToStandardError(badLines.union(outputs.modelFailures()), FormatRejections::record, "bad-records", "bad-record");
        printToStandardError(outputs.noModelYet(), FormatRejections::record, "no-model-yet", "no-model-yet");
        printToStandardError(outputs.stale(), FormatResult::json, "stale-results", "stale");
        printLines(outputs.shadow(), "shadow");
        printLines(outputs.reports(), "report");
        printLines(outputs.drift(), "drift");
    }

    /** JSON lines to standard output, prefixed {@code <prefix>> }: shadow results, rollout reports; parallelism 1. */
    public static void printLines(DataStream<String> lines, String prefix) {
        lines.sinkTo(new PrintSink<>(prefix, false))
                .uid("print-" + prefix)
                .name("Print " + prefix + " lines")
                .setParallelism(1);
    }

    /** One JSON line per rejection on standard error, prefixed {@code <prefix>> }; parallelism 1. */
    private static <T> void printToStandardError(
            DataStream<T> rejections, MapFunction<T, String> toJson, String name, String prefix) {
        rejections
                .map(toJson)
                .returns(Types.STRING)
                .uid("format-" + name)
                .name("Format " + name)
                .setParallelism(1)
                .sinkTo(new PrintSink<>(prefix, true))
                .uid("print-" + name)
                .name("Print " + name)
                .setParallelism(1);
    }

    private static void requireDirectory(Path models) throws IOException {
        FileSystem fs = models.getFileSystem();
        if (!fs.exists(models) || !fs.getFileStatus(models).isDir()) {
            throw new IllegalArgumentException(
                    "--models " + models + " is not a directory: create it (mkdir -p) and publish a"
                            + " model with `bin/fitter fit --models DIR`");
        }
    }
}
