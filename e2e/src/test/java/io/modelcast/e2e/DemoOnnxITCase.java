package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/demo --onnx} as a user runs it: gen-data, train (published as ONNX), tcpsource
 * replaying feature rows, the local job scoring them with ONNX Runtime, and the fitter retraining
 * on fresh data. Round 2's data comes from a drifted concept, so the first model loses on its
 * holdout and model 2 is published; the job's output must move to it.
 */
class DemoOnnxITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;

    @Test
    void trainsPublishesServesAndRetrainsAnOnnxModel() throws Exception {
        int port = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(240), "--onnx", "--seconds", "40", "--fit-every", "6",
                "--port", Integer.toString(port), "--web-port", Integer.toString(webPort));
        String stderr = demo.stderr();
        List<String> lines = demo.stdout();
        assertThat(lines).anyMatch(l -> l.startsWith("[fitter] published model-1.json: 1  onnx  {\"evaluation\""));
        assertThat(lines).anyMatch(l -> l.startsWith("[fitter] published model-2.json: 2  onnx"));

        List<JsonNode> results = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("[fitter]")) {
                results.add(JSON.readTree(line));
            }
        }
        assertThat(results).as("scored records").hasSizeGreaterThan(100);
        Map<Integer, Long> lastVersionBySubtask = new HashMap<>();
        for (JsonNode result : results) {
            double score = result.get("score").asDouble();
            assertThat(score).isBetween(0.0, 1.0);
            assertThat(result.get("label").asInt()).isEqualTo(score >= 0.5 ? 1 : 0);
            assertThat(result.get("input").asText().split(",")).hasSize(8);
            long version = result.get("modelVersion").asLong();
            long previous = lastVersionBySubtask.getOrDefault(result.get("subtask").asInt(), 0L);
            assertThat(version).as("versions of a subtask never go back").isGreaterThanOrEqualTo(previous);
            lastVersionBySubtask.put(result.get("subtask").asInt(), version);
        }
        assertThat(results).extracting(r -> r.get("modelVersion").asLong()).contains(1L, 2L);
        assertThat(stderr).doesNotContain("bad-record>", "rejected-model>", "Exception");

        assertThat(Processes.listening(port)).as("tcpsource stopped").isFalse();
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }
}
