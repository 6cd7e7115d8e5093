package io.modelcast.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.kafkalocal.KafkaBrokerExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The console following the job's evaluation and report topics on a real broker: records written
 * before the console started and after it are both listed; a topic that does not exist yet is
 * picked up once it does.
 */
class ConsoleTopicsITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private ConsoleServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void evaluationsAndReportsOnTheJobsTopicsAreListed() throws Exception {
        String evaluations = KafkaBrokerExtension.uniqueTopic("eval");
        String reports = KafkaBrokerExtension.uniqueTopic("reports");
        KAFKA.createTopics(Map.of(evaluations, 2));
        Properties producerSettings = new Properties();
        producerSettings.put("bootstrap.servers", KAFKA.bootstrapServers());
        producerSettings.put("key.serializer", StringSerializer.class.getName());
        producerSettings.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings)) {
            producer.send(new ProducerRecord<>(evaluations, 0, null,
                    "{\"model\":\"default\",\"modelVersion\":1,\"windowEnd\":1000,\"auc\":0.7}")).get();
            Properties client = new Properties();
            client.put("bootstrap.servers", KAFKA.bootstrapServers());
            server = ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, Optional.empty(), Optional.of(new ConsoleSettings.Topics(client,
                            Map.of(evaluations, EvidenceLog.Kind.EVALUATIONS, reports, EvidenceLog.Kind.REPORTS)))));
            producer.send(new ProducerRecord<>(evaluations, 1, null,
                    "{\"model\":\"default\",\"modelVersion\":2,\"windowEnd\":2000,\"auc\":0.8}")).get();
            KAFKA.createTopics(Map.of(reports, 1));
            producer.send(new ProducerRecord<>(reports, "{\"model\":\"default\",\"champion\":1,\"challenger\":2}")).get();
        }

        JsonNode evaluated = await("/api/evaluations", 2);
        assertThat(evaluated.get("records")).extracting(r -> r.get("modelVersion").asLong()).containsExactlyInAnyOrder(1L, 2L);
        JsonNode reported = await("/api/reports", 1);
        assertThat(reported.get("records").get(0).get("challenger").asLong()).isEqualTo(2);
    }

    @Test
    void theRegistryReadsTheModelTopicAsTheJobDoes() throws Exception {
        String models = KafkaBrokerExtension.uniqueTopic("models");
        KAFKA.createTopics(Map.of(models, 1));
        io.modelcast.model.file.ModelFileCodec codec = new io.modelcast.model.file.ModelFileCodec();
        Properties producerSettings = new Properties();
        producerSettings.put("bootstrap.servers", KAFKA.bootstrapServers());
        producerSettings.put("key.serializer", StringSerializer.class.getName());
        producerSettings.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings)) {
            for (long version = 1; version <= 2; version++) {
                producer.send(new ProducerRecord<>(models, "default", codec.encode(io.modelcast.model.file.ModelFile.create(version,
                        java.time.Instant.now(), new io.modelcast.model.CustomModel(version == 1))))).get();
            }
            producer.send(new ProducerRecord<>(models, "fraud", codec.encode(io.modelcast.model.file.ModelFile.create(7,
                    java.time.Instant.now(), new io.modelcast.model.CustomModel(true))))).get();
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", KAFKA.bootstrapServers());
        server = ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), Optional.of(new ConsoleSettings.Topics(client, Map.of(), Optional.of(models)))));

        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode registry;
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/api/models")).GET().build(), HttpResponse.BodyHandlers.ofString());
            registry = JSON.readTree(response.body());
            if (response.statusCode() == 200 && registry.get("names").size() == 2
                    && registry.get("names").get(0).get("versions").size() == 2) {
                break;
            }
            assertThat(System.currentTimeMillis()).as("the model topic is read in time: %s", registry).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(registry.get("names").get(0).get("versions")).extracting(v -> v.get("version").asLong() + " " + v.get("role").asText())
                .containsExactly("2 champion", "1 earlier");
        assertThat(registry.get("names").get(1).get("name").asText()).isEqualTo("fraud");
    }

    private JsonNode await(String path, int records) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() == 200 && body.get("records").size() >= records) {
                return body;
            }
            assertThat(System.currentTimeMillis()).as("%s lists %d records in time: %s", path, records, body).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
