package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/demo --features} as a user runs it — and the no-skew test across processes: the
 * features the job computes in keyed state and shows with each result ({@code --emit-features})
 * equal, value for value, what {@code fitter features} computes offline from the same event file
 * with the code training uses. Also: the model on the user's history beats the amount alone.
 */
class DemoFeaturesITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AUC = Pattern.compile("^\\[fitter\\] (amount alone|the user's history): challenger: .* AUC ([0-9.]+)");
    private static final Pattern FEATURE = Pattern.compile("\"([A-Za-z0-9_]+)\":([^,}]+)");

    @TempDir Path work;

    @Test
    void theJobComputesTheFeaturesTrainingComputesAndTheStatefulModelWins() throws Exception {
        int port = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(240), "--features", "--seconds", "25",
                "--port", Integer.toString(port), "--web-port", Integer.toString(webPort));

        Map<String, Double> auc = new HashMap<>();
        for (String line : demo.stdout()) {
            Matcher matcher = AUC.matcher(line);
            if (matcher.find()) {
                auc.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        System.out.println("[demo-features] holdout AUC " + auc);
        assertThat(auc.get("the user's history")).as("AUC on the user's history vs the amount alone %s", auc)
                .isGreaterThan(auc.get("amount alone") + 0.05);

        Path demoDir = work.resolve("var/demo");
        Map<String, String> offline = new HashMap<>();
        for (String line : Files.readAllLines(demoDir.resolve("features-offline.jsonl"))) {
            JsonNode json = JSON.readTree(line);
            offline.put(json.get("id").asText(), line);
        }
        int compared = 0;
        for (String line : Files.readAllLines(demoDir.resolve("output.txt"))) {
            JsonNode result = JSON.readTree(line);
            String id = result.get("id").asText();
            assertThat(features(line)).as("features of %s, job vs fitter features", id).isEqualTo(features(offline.get(id)))
                    .hasSize(5);
            compared++;
        }
        System.out.println("[demo-features] events compared value for value: " + compared);
        assertThat(compared).as("results compared").isGreaterThan(300);
        assertThat(demo.stderr()).doesNotContain("bad-record>", "rejected-model>", "Exception");
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }

    /** The "features" object of a JSON line, by name, each value read as the 32-bit number it was printed from. */
    private static Map<String, Float> features(String line) {
        String object = line.substring(line.indexOf("\"features\":{") + 12, line.indexOf('}', line.indexOf("\"features\":{")));
        Map<String, Float> features = new HashMap<>();
        Matcher matcher = FEATURE.matcher(object);
        while (matcher.find()) {
            features.put(matcher.group(1), Float.parseFloat(matcher.group(2)));
        }
        return features;
    }
}
