package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/demo --kafka} as a user runs it without a broker: it starts bin/kafka-local's broker,
 * runs tcpsource into s0, the job from s0 to s2 and the fitter, shows what is committed to s2,
 * and stops everything, the broker included.
 */
class DemoKafkaITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;

    @Test
    void resultsInS2CarryEachPublishedModelVersionInTurn() throws Exception {
        int kafkaPort = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(240), "--kafka", "--kafka-port", Integer.toString(kafkaPort),
                "--seconds", "40", "--fit-every", "8", "--web-port", Integer.toString(webPort));
        String stderr = demo.stderr();

        List<Long> versionRuns = versionRuns(demo);
        assertThat(versionRuns).as("model versions in s2, in order").startsWith(1L, 2L);
        assertThat(stderr).contains("kafka-local: stopped");
        assertThat(Processes.listening(kafkaPort)).as("broker stopped").isFalse();
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }

    @Test
    void withModelTopicTheModelsTravelThroughKafkaToo() throws Exception {
        int kafkaPort = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(240), "--kafka", "--model-topic", "--kafka-port",
                Integer.toString(kafkaPort), "--seconds", "30", "--fit-every", "8", "--web-port", Integer.toString(webPort));

        assertThat(versionRuns(demo)).as("model versions in s2, in order").startsWith(1L, 2L);
        assertThat(demo.stderr()).contains("models go to the Kafka topic models").contains("kafka-local: stopped");
        try (Stream<Path> files = Files.walk(work)) {
            assertThat(files.filter(p -> p.getFileName().toString().matches("model-[0-9]+\\.json")).toList())
                    .as("model files written").isEmpty();
        }
    }

    /** The model versions of the results in s2, each once per run of results it scored. */
    private static List<Long> versionRuns(DemoRun demo) throws Exception {
        List<Long> versionRuns = new ArrayList<>();
        for (String line : demo.stdout()) {
            if (line.startsWith("[fitter]")) {
                continue;
            }
            JsonNode result = JSON.readTree(line);
            long version = result.get("modelVersion").asLong();
            String input = result.get("input").asText();
            assertThat(result.get("output").asText())
                    .isEqualTo(version % 2 == 1 ? padded(input).repeat(3) : padded(input));
            if (versionRuns.isEmpty() || versionRuns.get(versionRuns.size() - 1) != version) {
                versionRuns.add(version);
            }
        }
        return versionRuns;
    }

    private static String padded(String input) {
        return input.length() < 2 ? "0" + input : input;
    }
}
