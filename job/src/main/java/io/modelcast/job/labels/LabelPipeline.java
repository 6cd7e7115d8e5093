package io.modelcast.job.labels;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.kafka.KafkaOptions;
import io.modelcast.job.kafka.KafkaPipeline;
import io.modelcast.job.options.LabelOptions;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.sources.socket.SocketSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Live evaluation from labels that arrive after the predictions they judge:
 *
 * <pre>
 * results ──► predictions with an id and a score ──┐
 *                                                  ├─► join by id (keyed, --label-wait) ──► evaluate per model
 * labels (socket or Kafka) ──► parse ──────────────┘          │            version and window ──► eval lines
 *                     └─► bad labels                          └─► unmatched and duplicate labels
 * </pre>
 *
 * Only results of feature models that carry an id (the JSON {@code id}, else the Kafka key) can be
 * labelled; a shadow challenger's outcomes are not (they are in its shadow lines). Every stateful
 * operator has a uid.
 */
public final class LabelPipeline {

    private LabelPipeline() {}

    /**
     * What the evaluation produces: one JSON line per model version and window, the labels that
     * matched nothing, and — if asked for — one training example per labelled prediction ({@link ToExample}).
     */
    public record Outputs(DataStream<String> evaluations, DataStream<RejectedRecord> unmatched, Optional<DataStream<String>> examples) {}

    /** Labels as read, and the ones that could not be read, with their reasons. */
    public record Labels<B>(DataStream<Label> labels, DataStream<B> bad) {}

    /**
     * Joins {@code scored} with {@code labels} and evaluates each model version per window; with
     * {@code examplesIn}, the format of the inputs, also makes a training example of each labelled prediction.
     */
    public static Outputs define(LabelOptions options, DataStream<Result> scored, DataStream<Label> labels,
            Optional<InputFormat> examplesIn) {
        DataStream<Prediction> predictions = scored
                .flatMap(new SelectPredictions(examplesIn.isPresent()))
                .uid("select-predictions")
                .name("Predictions that can be labelled")
                .setParallelism(scored.getParallelism());
        SingleOutputStreamOperator<LabelledPrediction> joined = predictions
                .keyBy(prediction -> prediction.id)
                .connect(labels.keyBy(label -> label.id))
                .process(new JoinLabels(options.labelWait()))
                .uid("join-labels")
                .name("Join labels (wait " + options.labelWait() + ")");
        DataStream<String> evaluations = joined
                .keyBy(LabelledPrediction::modelAndVersion)
                .window(TumblingProcessingTimeWindows.of(options.window()))
                .aggregate(new EvaluateModels.Add(), new EvaluateModels())
                .uid("evaluate-models")
                .name("Evaluate model versions (window " + options.window() + ")");
        Optional<DataStream<String>> examples = examplesIn.map(format -> joined
                .flatMap(new ToExample(format))
                .uid("labelled-examples")
                .name("Labelled examples"));
        return new Outputs(evaluations, joined.getSideOutput(JoinLabels.UNMATCHED), examples);
    }

    /**
     * Writes examples as JSON lines into rolling files under {@code directory} (one subdirectory per
     * hour): a file is finished — renamed from its hidden in-progress name — when a checkpoint
     * completes, so a finished file holds each example once, across failures.
     */
    public static void writeFiles(DataStream<String> examples, URI directory) {
        examples.sinkTo(FileSink.forRowFormat(new Path(directory), new SimpleStringEncoder<String>("UTF-8"))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("examples").withPartSuffix(".jsonl").build())
                        .build())
                .uid("examples-files-sink")
                .name("Examples to " + directory);
    }

    /** Labels as {@code id,label} lines from {@code --label-host:--label-port}, reconnecting like the input socket. */
    public static Labels<RejectedRecord> fromSocket(StreamExecutionEnvironment env, LabelOptions options) {
        int port = options.port().orElseThrow();
        DataStream<LineBatch> lines = env.fromSource(
                        new SocketSource(options.host(), port, Duration.ofMillis(500), ModelcastJob.MAX_SOCKET_LINE_BYTES),
                        WatermarkStrategy.noWatermarks(), "Labels " + options.host() + ":" + port)
                .uid("label-socket-source")
                .setParallelism(1);
        SingleOutputStreamOperator<Label> labels = lines.process(new ParseLabelLines())
                .uid("parse-label-lines")
                .name("Parse labels")
                .setParallelism(1);
        return new Labels<>(labels, labels.getSideOutput(Descriptors.BAD_RECORDS));
    }

    /** Labels from {@code --label-topic}. */
    public static Labels<DeadLetter> fromKafka(StreamExecutionEnvironment env, KafkaOptions kafka, String topic) {
        SingleOutputStreamOperator<Label> labels = KafkaPipeline.readTopic(env, kafka, topic, "labels")
                .process(new ParseLabelRecords())
                .uid("parse-label-records")
                .name("Parse labels");
        return new Labels<>(labels, labels.getSideOutput(Descriptors.DEAD_LETTERS));
    }
}
