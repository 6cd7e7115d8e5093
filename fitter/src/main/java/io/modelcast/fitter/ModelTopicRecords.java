package io.modelcast.fitter;

import io.modelcast.cli.KafkaClientOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the fitter reads of a model topic besides its records: its record limit, and a record's version. */
final class ModelTopicRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonFactory JSON = new JsonFactory();

    private ModelTopicRecords() {}

    /** The topic's max.message.bytes. */
    static int recordLimit(String bootstrapServers, KafkaClientOptions clients, String topic) throws IOException {
        Properties own = new Properties();
        own.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        own.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(clients.over(own, "fitter"))) {
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            ConfigEntry entry = config == null ? null : config.get("max.message.bytes");
            return entry == null || entry.value() == null ? Integer.MAX_VALUE : Integer.parseInt(entry.value());
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the configuration of topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The top-level "version" of a model file, without building its model; 0 if it has none. */
    static long versionIn(byte[] value) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("version") && token == JsonToken.VALUE_NUMBER_INT) {
                    return parser.getLongValue();
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // Not a model file: not a version.
        }
        return 0;
    }
}
