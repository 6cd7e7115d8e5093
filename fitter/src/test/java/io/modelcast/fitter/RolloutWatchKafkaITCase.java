package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.file.ModelFileCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** {@code fitter rollout --watch --report-topic}: the job's reports read from a real broker decide the rollout. */
class RolloutWatchKafkaITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir Path models;

    @Test
    void reportsOnATopicPromoteTheChallenger() throws Exception {
        String topic = KafkaBrokerExtension.uniqueTopic("reports");
        KAFKA.createTopics(Map.of(topic, 1));
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow", "--promote-after", "500");
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long records : new long[] {100, 300, 600}) {
                String report = "{\"model\":\"default\",\"champion\":1,\"challenger\":2,\"subtasks\":2,\"suspended\":false,"
                        + "\"challengerRecords\":" + records + ",\"challengerErrorRate\":0.0,\"scoreShift\":null}";
                producer.send(new ProducerRecord<>(topic, report.getBytes(StandardCharsets.UTF_8))).get();
            }
        }

        Run run = fitter("rollout", "--models", models.toString(), "--watch", "--report-topic", topic,
                "--bootstrap-servers", KAFKA.saslBootstrapServers(), "--kafka-properties", KAFKA.saslClientProperties().toString(), "--once", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("promoted challenger version 2 of default (policy met after 500 records: 600 records");
        assertThat(new ModelFileCodec().read(models.resolve("model-3.json")).promotedFrom()).hasValue(2);
    }

    @Test
    void aReportTopicNeedsItsBrokers() {
        fitter("fit", "--models", models.toString());
        Run run = fitter("rollout", "--models", models.toString(), "--watch", "--report-topic", "reports");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--report-topic needs --bootstrap-servers");
    }
}
