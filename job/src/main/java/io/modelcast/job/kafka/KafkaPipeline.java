package io.modelcast.job.kafka;

import io.modelcast.job.InputFormat;
import io.modelcast.job.sources.ModelTopicSource;
import io.modelcast.job.ModelcastJob;

import io.modelcast.job.Descriptors;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.kafka.BatchRecords;
import io.modelcast.job.parse.ParseKafkaRecord;
import io.modelcast.job.sinks.StaleAsDeadLetter;
import io.modelcast.job.sinks.ToDeadLetter;
import io.modelcast.job.kafka.KafkaOptions.Delivery;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;

/**
 * The production shape of the job: a Kafka topic in, results to another topic, bad records to a
 * dead-letter topic, optionally the preprocessed records to a third:
 *
 * <pre>
 * s0 ──► parse + validate ──► score (as on the socket path) ──► s2
 *             │     └──────────────────────► s1 (optional)
 *             └──► dead letters ◄── no model yet, model failures
 * </pre>
 *
 * <p>With exactly-once delivery every sink writes in Kafka transactions committed when a
 * checkpoint completes, and the source resumes from the checkpointed offsets, so a
 * {@code read_committed} consumer sees exactly one result (or dead letter) per input offset, across
 * failures and restarts.
 */
public final class KafkaPipeline {

    private KafkaPipeline() {}

    /** What the Kafka path produces, before the sinks. */
    public record Outputs(
            ScoringPipeline.Outputs scoring, DataStream<InputRecord> preprocessed, DataStream<DeadLetter> invalidRecords) {

        public Outputs withScoring(ScoringPipeline.Outputs newScoring) {
            return new Outputs(newScoring, preprocessed, invalidRecords);
        }

        /** The same outputs with more dead letters (labels that could not be read, say). */
        public Outputs withDeadLetters(DataStream<DeadLetter> more) {
            return new Outputs(scoring, preprocessed, invalidRecords.union(more));
        }
    }

    /**
     * Reads the input topic, parses, and scores with the newest of {@code modelFiles}.
     *
     * @throws IllegalArgumentException if the broker cannot be reached or a topic is missing
     */
    public static Outputs define(StreamExecutionEnvironment env, JobOptions options, DataStream<ModelFileBytes> modelFiles) {
        KafkaOptions kafka = options.kafka();
        KafkaTopics.requireExisting(kafka.bootstrapServers(), kafka.clients().adminSettings(), kafka.topics());
        DataStream<KafkaInput> raw =
                env.fromSource(source(kafka), WatermarkStrategy.noWatermarks(), "Kafka " + kafka.inputTopic())
                        .uid("kafka-source");
        SingleOutputStreamOperator<InputRecord> parsed =
                raw.process(new ParseKafkaRecord(options.scoring().inputFormat()))
                        .uid("parse-kafka-record")
                        .name("Parse and validate")
                        .setParallelism(raw.getParallelism());
        // Kafka records come one at a time: grouped into batches (full, timed out, or cut at each
        // checkpoint barrier), so the hop and the model call are paid once per batch.
        DataStream<InputBatch> batches = parsed
                .transform("Batch (" + options.scoring().batchSize() + " or " + options.kafka().batchTimeout().toMillis() + " ms)",
                        TypeInformation.of(InputBatch.class),
                        new BatchRecords(options.scoring().batchSize(), options.kafka().batchTimeout()))
                .uid("kafka-record-batches")
                .setParallelism(parsed.getParallelism());
        return new Outputs(
                ScoringPipeline.define(options, batches, modelFiles),
                parsed,
                parsed.getSideOutput(Descriptors.DEAD_LETTERS));
    }

    /**
     * Writes results, dead letters (bad records, no model yet, model failures, results of a stale
     * model) and, if asked for, preprocessed records and rejected model files to their topics.
     */
    public static void write(Outputs outputs, JobOptions options) {
        KafkaOptions kafka = options.kafka();
        outputs.scoring().scored()
                .sinkTo(sink(kafka, KafkaSerializers.results(kafka.outputTopic()), "results"))
                .uid("kafka-results-sink")
                .name("Results to " + kafka.outputTopic());
        ToDeadLetter toDeadLetter = new ToDeadLetter();
        outputs.invalidRecords()
                .union(outputs.scoring().modelFailures().map(toDeadLetter)
                                .uid("model-failures-as-dead-letters").name("Model failures as dead letters"),
                        outputs.scoring().noModelYet().map(toDeadLetter)
                                .uid("no-model-yet-as-dead-letters").name("No model yet as dead letters"),
                        outputs.scoring().stale().map(new StaleAsDeadLetter(options.scoring().modelAgeLimit()))
                                .uid("stale-results-as-dead-letters").name("Stale results as dead letters"))
                .sinkTo(sink(kafka, KafkaSerializers.deadLetters(kafka.deadLetterTopic()), "dead-letters"))
                .uid("kafka-dead-letter-sink")
                .name("Dead letters to " + kafka.deadLetterTopic());
        kafka.preprocessedTopic().ifPresent(topic -> outputs.preprocessed()
                .sinkTo(sink(kafka, KafkaSerializers.preprocessed(topic), "preprocessed"))
                .uid("kafka-preprocessed-sink")
                .name("Preprocessed records to " + topic));
        if (kafka.shadowTopic().isPresent()) {
            String topic = kafka.shadowTopic().get();
            outputs.scoring().shadow()
                    .sinkTo(sink(kafka, KafkaSerializers.lines(topic), "shadow"))
                    .uid("kafka-shadow-sink")
                    .name("Shadow results to " + topic);
        } else {
            ModelcastJob.printLines(outputs.scoring().shadow(), "shadow");
        }
        if (kafka.reportTopic().isPresent()) {
            String topic = kafka.reportTopic().get();
            outputs.scoring().reports()
                    .sinkTo(sink(kafka, KafkaSerializers.lines(topic), "reports"))
                    .uid("kafka-report-sink")
                    .name("Rollout reports to " + topic)
                    .setParallelism(1);
        } else {
            ModelcastJob.printLines(outputs.scoring().reports(), "report");
        }
        if (options.drift().topic().isPresent()) {
            writeLines(outputs.scoring().drift(), kafka, options.drift().topic().get(), "drift");
        } else {
            ModelcastJob.printLines(outputs.scoring().drift(), "drift");
        }
        kafka.rejectedModelsTopic().ifPresent(topic -> outputs.scoring().rejectedModels()
                .sinkTo(sink(kafka, KafkaSerializers.rejectedModels(topic), "rejected-models"))
                .uid("kafka-rejected-models-sink")
                .name("Rejected models to " + topic)
                .setParallelism(1));
    }

    /**
     * Reads a second topic of the job's broker (labels, say), from the same starting offsets, as
     * consumer group {@code --group-id}-{@code name}; its source's uid is {@code kafka-<name>-source}.
     */
    public static DataStream<KafkaInput> readTopic(StreamExecutionEnvironment env, KafkaOptions kafka, String topic, String name) {
        KafkaTopics.requireExisting(kafka.bootstrapServers(), kafka.clients().adminSettings(), List.of(topic));
        return env.fromSource(source(kafka, topic, kafka.groupId() + "-" + name), WatermarkStrategy.noWatermarks(),
                        "Kafka " + topic)
                .uid("kafka-" + name + "-source");
    }

    /**
     * Model versions from {@code topic} on the job's brokers ({@link ModelTopicSource}), read at
     * parallelism 1 with the job's consumer settings; its uid is {@code model-topic}.
     *
     * @param writtenTopics the topics the job writes (or reads records from), which the model topic must not be
     * @throws IllegalArgumentException if the topic does not exist or is one of {@code writtenTopics}
     */
    public static DataStream<ModelFileBytes> readModelTopic(StreamExecutionEnvironment env, KafkaOptions kafka, String topic,
            List<String> writtenTopics, long maxModelBytes, InputFormat inputFormat) {
        if (writtenTopics.contains(topic)) {
            throw new IllegalArgumentException("--model-topic " + topic + " is also a topic of the job's records or results;"
                    + " models need a topic of their own");
        }
        KafkaTopics.requireExisting(kafka.bootstrapServers(), kafka.clients().adminSettings(), List.of(topic));
        Map<String, String> settings = new HashMap<>(kafka.clients().consumerSettings());
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        return env.fromSource(new ModelTopicSource(topic, settings, maxModelBytes, inputFormat), WatermarkStrategy.noWatermarks(),
                        "Model topic " + topic)
                .uid("model-topic")
                .setParallelism(1);
    }

    /** Writes JSON lines (evaluation records, say) to {@code topic} with the job's guarantee; the sink's uid is {@code kafka-<name>-sink}. */
    public static void writeLines(DataStream<String> lines, KafkaOptions kafka, String topic, String name) {
        KafkaTopics.requireExisting(kafka.bootstrapServers(), kafka.clients().adminSettings(), List.of(topic));
        lines.sinkTo(sink(kafka, KafkaSerializers.lines(topic), name))
                .uid("kafka-" + name + "-sink")
                .name(name + " to " + topic);
    }

    static KafkaSource<KafkaInput> source(KafkaOptions kafka) {
        return source(kafka, kafka.inputTopic(), kafka.groupId());
    }

    private static KafkaSource<KafkaInput> source(KafkaOptions kafka, String topic, String groupId) {
        Properties consumer = new Properties();
        consumer.putAll(kafka.clients().consumerSettings());
        return KafkaSource.<KafkaInput>builder()
                .setProperties(consumer)
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(switch (kafka.startingOffsets()) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                })
                .setDeserializer(new RawRecordDeserializer())
                // Inputs written in transactions count only once committed.
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    private static <T> KafkaSink<T> sink(KafkaOptions kafka, KafkaRecordSerializationSchema<T> serializer, String name) {
        Properties producer = new Properties();
        producer.putAll(kafka.clients().producerSettings());
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producer)
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(kafka.delivery() == Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE)
                // Each sink of the job needs transactional ids of its own.
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + name)
                // A bounded pool of transactional ids, and lingering transactions found by listing
                // them, not by probing every id a previous run may have used.
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setProperty("transaction.timeout.ms", Long.toString(kafka.clients().transactionTimeout().toMillis()))
                .build();
    }
}
