package io.modelcast.benchjob;

import io.modelcast.cli.DurationConverter;
import io.modelcast.job.kafka.KafkaPipeline;
import io.modelcast.model.CustomModel;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The reference of scenario 4: what plain Flink does on the same broker with the same work and no
 * model swapping — a {@link KafkaSource} of strings, one chained {@code map} that applies the seed's
 * model and writes a small JSON string, a {@link KafkaSink} with the same delivery guarantee,
 * checkpoint interval and transaction settings as the job. Everything chains into one task per
 * subtask. Runs in an embedded mini cluster configured by {@code --flink-conf} until it is stopped.
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
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(inputTopic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed")
                .build();
        Properties producer = new Properties();
        producer.putAll(producerProperties);
        KafkaSink<String> sink = KafkaSink.<String>builder()
                .setKafkaProducerConfig(producer)
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic(outputTopic)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("plain-" + groupId)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setProperty("transaction.timeout.ms", Long.toString(KafkaPipeline.TRANSACTION_TIMEOUT.toMillis()))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + inputTopic)
                .map(new ApplySeedModel()).name("Seed model")
                .sinkTo(sink).name("Kafka " + outputTopic);
        env.execute("plain Flink Kafka reference");
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new PlainKafkaJob()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
