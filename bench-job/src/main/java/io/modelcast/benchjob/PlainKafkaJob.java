package io.modelcast.benchjob;

import io.modelcast.cli.DurationConverter;
import io.modelcast.job.kafka.ClientProperties;
import io.modelcast.model.CustomModel;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The reference of scenario 4: what plain Flink does on the same broker with the same work and no
 * model swapping — a {@link KafkaSource}, one chained {@code map} that applies the seed's model, a
 * {@link KafkaSink} with the same delivery guarantee, checkpoint interval and transaction settings
 * as the job. Everything chains into one task per subtask. Runs in an embedded mini cluster
 * configured by {@code --flink-conf} until it is stopped.
 *
 * <p>Two outputs ({@code --output}): {@code small}, a value of {@code {"input":"7","output":"070707","version":1}}
 * and no key; {@code same-as-job}, the record the job writes — the input's key and timestamp, and
 * the job's JSON line with the model's name, version and age, the subtask and the input's topic,
 * partition and offset (three times the bytes) — so the broker and the producers do the same work
 * for both, and what differs is the path between them.
 */
@Command(name = "plain-kafka-job", mixinStandardHelpOptions = true,
        description = "Kafka → map(seed model) → Kafka in plain Flink: the reference the job's Kafka path is measured against.")
public final class PlainKafkaJob implements Callable<Integer> {

    @Option(names = "--flink-conf", required = true) String flinkConf;
    @Option(names = "--bootstrap-servers", required = true) String bootstrapServers;
    @Option(names = "--input-topic", required = true) String inputTopic;
    @Option(names = "--output-topic", required = true) String outputTopic;
    @Option(names = "--group-id", required = true) String groupId;
    @Option(names = "--delivery", defaultValue = "exactly-once") String delivery;
    @Option(names = "--parallelism", defaultValue = "2") int parallelism;
    @Option(names = "--checkpoint-interval", defaultValue = "1s", converter = DurationConverter.class) Duration checkpointInterval;
    @Option(names = "--web-port", defaultValue = "0") int webPort;
    @Option(names = "--producer-property", paramLabel = "KEY=VALUE") Map<String, String> producerProperties = new LinkedHashMap<>();
    @Option(names = "--output", defaultValue = "same-as-job", description = "small or same-as-job") String output;

    /** The seed's model applied to one line: {@code {"input":"7","output":"070707"}}. */
    static final class ApplySeedModel implements MapFunction<String, String> {
        // Built on the task, as the job builds its models: a model is data, not a serializable closure.
        private transient CustomModel model;

        @Override
        public String map(String line) {
            if (model == null) {
                model = new CustomModel(true);
            }
            String input = line.trim();
            return "{\"input\":\"" + input + "\",\"output\":\"" + model.transform(Long.parseLong(input)) + "\",\"version\":1}";
        }
    }

    /** A record of s0 as the job reads it: key, value, where it came from and when. */
    record Input(byte[] key, String value, String topic, int partition, long offset, long timestamp) {}

    /** A result as the job writes it: the input's key and timestamp, and a JSON line. */
    record Output(byte[] key, String json, long timestamp) {}

    /** Reads what the job's Kafka source reads of each record. */
    static final class ReadInput implements KafkaRecordDeserializationSchema<Input> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Input> out) {
            out.collect(new Input(record.key(), new String(record.value(), StandardCharsets.UTF_8), record.topic(),
                    record.partition(), record.offset(), record.timestamp()));
        }

        @Override
        public TypeInformation<Input> getProducedType() {
            return TypeInformation.of(Input.class);
        }
    }

    /** The seed's model applied to one record, written as the job writes its results. */
    static final class ApplySeedModelAsTheJobWrites extends RichMapFunction<Input, Output> {
        private static final long CREATED = System.currentTimeMillis();
        private transient CustomModel model;
        private transient int subtask;

        @Override
        public void open(OpenContext context) {
            model = new CustomModel(true);
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        }

        @Override
        public Output map(Input in) {
            String input = in.value().trim();
            String json = "{\"input\":\"" + input + "\",\"output\":\"" + model.transform(Long.parseLong(input))
                    + "\",\"model\":\"default\",\"modelVersion\":1,\"modelAgeMs\":" + (System.currentTimeMillis() - CREATED)
                    + ",\"subtask\":" + subtask + ",\"topic\":\"" + in.topic() + "\",\"partition\":" + in.partition()
                    + ",\"offset\":" + in.offset() + "}";
            return new Output(in.key(), json, in.timestamp());
        }
    }

    /** Writes an output as the job writes its results: key, timestamp, value. */
    static final class WriteOutput implements KafkaRecordSerializationSchema<Output>, KafkaDatasetFacetProvider {
        private final String topic;

        WriteOutput(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Output output, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, output.timestamp(), output.key(), output.json().getBytes(StandardCharsets.UTF_8));
        }

        /** The topic, for the transactions' pooling naming strategy. */
        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = GlobalConfiguration.loadConfiguration(flinkConf);
        conf.removeConfig(TaskManagerOptions.NUM_TASK_SLOTS);
        conf.set(RestOptions.BIND_PORT, Integer.toString(webPort));
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.enableCheckpointing(checkpointInterval.toMillis());
        env.getConfig().enableObjectReuse();
        boolean exactlyOnce = delivery.equals("exactly-once");
        Properties producer = new Properties();
        producer.putAll(producerProperties);
        DeliveryGuarantee guarantee = exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        switch (output) {
            case "small" -> {
                KafkaSource<String> source = source(KafkaSource.<String>builder().setValueOnlyDeserializer(new SimpleStringSchema()));
                KafkaSink<String> sink = sink(KafkaSink.<String>builder(), producer, guarantee)
                        .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                                .setTopic(outputTopic)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                        .build();
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + inputTopic)
                        .map(new ApplySeedModel()).name("Seed model")
                        .sinkTo(sink).name("Kafka " + outputTopic);
            }
            case "same-as-job" -> {
                KafkaSource<Input> source = source(KafkaSource.<Input>builder().setDeserializer(new ReadInput()));
                KafkaSink<Output> sink = sink(KafkaSink.<Output>builder(), producer, guarantee)
                        .setRecordSerializer(new WriteOutput(outputTopic))
                        .build();
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + inputTopic)
                        .map(new ApplySeedModelAsTheJobWrites()).name("Seed model")
                        .sinkTo(sink).name("Kafka " + outputTopic);
            }
            default -> throw new IllegalArgumentException("--output must be small or same-as-job, not " + output);
        }
        env.execute("plain Flink Kafka reference");
        return 0;
    }

    private <T> KafkaSource<T> source(KafkaSourceBuilder<T> builder) {
        return builder.setBootstrapServers(bootstrapServers)
                .setTopics(inputTopic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    private <T> KafkaSinkBuilder<T> sink(KafkaSinkBuilder<T> builder, Properties producer, DeliveryGuarantee guarantee) {
        return builder.setKafkaProducerConfig(producer)
                .setBootstrapServers(bootstrapServers)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix("plain-" + groupId)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setProperty("transaction.timeout.ms", Long.toString(ClientProperties.DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
    }

    public static void main(String[] args) {
        int code = new CommandLine(new PlainKafkaJob()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
