package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/** {@code fitter train --from-kafka}: the job's labelled examples on a real broker train a challenger. */
class TrainFromKafkaITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir Path models;

    @Test
    void examplesOfTheNameInTheWindowTrainAChallengerWithItsPolicy() throws Exception {
        String topic = KafkaBrokerExtension.uniqueTopic("examples");
        KAFKA.createTopics(Map.of(topic, 2));
        fitter("train", "--models", models.toString(), "--name", "fraud", "--data", csv().toString());
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        Random random = new Random(3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            long anHourAndMoreAgo = System.currentTimeMillis() - 2 * 3_600_000L;
            // Old examples outside the window: they would teach the opposite.
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, anHourAndMoreAgo, null, example("fraud", random, true))).get();
            }
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, example("fraud", random, false))).get();
            }
            producer.send(new ProducerRecord<>(topic, 0, null, example("other", random, false))).get();
            producer.send(new ProducerRecord<>(topic, 1, null, "not an example".getBytes(StandardCharsets.UTF_8))).get();
        }

        Run run = fitter("train", "--models", models.toString(), "--name", "fraud", "--from-kafka", topic,
                "--bootstrap-servers", KAFKA.saslBootstrapServers(), "--kafka-properties", KAFKA.saslClientProperties().toString(), "--window", "1h", "--role", "challenger",
                "--rollout", "canary:10", "--promote-after", "1000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("examples: 2000 of model fraud").contains("another model's=1").contains("not an example=1");
        ModelFile challenger = new ModelFileCodec().read(models.resolve("fraud").resolve("model-2.json"));
        assertThat(challenger.rollout()).hasValueSatisfying(r -> assertThat(r.policy().promoteAfter()).isEqualTo(1000));
        LogisticModel trained = (LogisticModel) challenger.model();
        double[] score = new double[1];
        trained.score(new float[] {2f, 0f}, 1, score);
        assertThat(score[0]).as("learned from the window: a high first feature means 1").isGreaterThan(0.8);
    }

    @Test
    void trainingNeedsOneSourceAndItsBrokers() throws Exception {
        Run both = fitter("train", "--models", models.toString(), "--data", csv().toString(), "--from-kafka", "examples");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("one of --data FILE.csv, --events FILE.jsonl, --from-kafka TOPIC or --from-files DIR");
        Run noBrokers = fitter("train", "--models", models.toString(), "--from-kafka", "examples");
        assertThat(noBrokers.exitCode()).isEqualTo(2);
        assertThat(noBrokers.err()).contains("--from-kafka needs --bootstrap-servers");
    }

    /** An example whose label follows its first feature (or the opposite, for {@code inverted}). */
    private static byte[] example(String model, Random random, boolean inverted) {
        float a = (float) (random.nextGaussian() * 2);
        float b = (float) random.nextGaussian();
        int label = (a > 0) != inverted ? 1 : 0;
        return String.format(Locale.ROOT, "{\"id\":\"x\",\"model\":\"%s\",\"modelVersion\":1,\"features\":[%s,%s],\"label\":%d,\"score\":0.5}",
                model, a, b, label).getBytes(StandardCharsets.UTF_8);
    }

    private Path csv() throws Exception {
        Path file = models.resolve("seed.csv");
        if (!Files.exists(file)) {
            StringBuilder rows = new StringBuilder("a,b,label\n");
            Random random = new Random(1);
            for (int i = 0; i < 200; i++) {
                float a = (float) random.nextGaussian();
                rows.append(a).append(',').append((float) random.nextGaussian()).append(',').append(a > 0 ? 1 : 0).append('\n');
            }
            Files.writeString(file, rows);
        }
        return file;
    }
}
