package io.modelcast.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running modelcast jobs of a Flink cluster, from its REST API (the one the web UI uses): per
 * job, the scoring operator's subtasks with the model version each scores with and its counters.
 * Flink's REST API refreshes operator metrics every {@code metrics.fetcher.update-interval} (500 ms in
 * flink-conf/config.yaml), which bounds how fresh these are.
 */
final class FlinkJobs {

    /** The scoring operator's name prefix (a chain is named after its operators). */
    static final String SCORER = "Score with latest model";
    /** The scorer's metrics shown per subtask. */
    static final List<String> METRICS = List.of("modelVersion", "modelSwaps", "recordsScored", "recordsRejected", "modelNames");

    private static final Pattern METRIC_ID = Pattern.compile("(\\d+)\\..*\\.(" + String.join("|", METRICS) + ")");

    private final ObjectMapper json;
    private final URI rest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FlinkJobs(ObjectMapper json, URI rest) {
        this.json = json;
        this.rest = rest;
    }

    /** {@code {"jobs": [{"id", "name", "state", "startTime", "scorer": {"parallelism", "subtasks": [...]}}]}}. */
    ObjectNode read() throws IOException, InterruptedException {
        ObjectNode result = json.createObjectNode();
        ArrayNode jobs = result.putArray("jobs");
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (!"RUNNING".equals(job.path("state").asText())) {
                continue;
            }
            String id = job.path("jid").asText();
            ObjectNode entry = jobs.addObject().put("id", id).put("name", job.path("name").asText())
                    .put("state", job.path("state").asText()).put("startTime", job.path("start-time").asLong());
            for (JsonNode vertex : get("/jobs/" + id).path("vertices")) {
                if (vertex.path("name").asText().startsWith(SCORER)) {
                    entry.set("scorer", scorer(id, vertex));
                }
            }
        }
        return result;
    }

    private ObjectNode scorer(String job, JsonNode vertex) throws IOException, InterruptedException {
        int parallelism = vertex.path("parallelism").asInt();
        String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode metric : get(path)) {
            if (METRIC_ID.matcher(metric.path("id").asText()).matches()) {
                ids.add(metric.path("id").asText());
            }
        }
        Map<Integer, ObjectNode> bySubtask = new TreeMap<>();
        for (int subtask = 0; subtask < parallelism; subtask++) {
            bySubtask.put(subtask, json.createObjectNode().put("subtask", subtask));
        }
        if (!ids.isEmpty()) {
            for (JsonNode metric : get(path + "?get=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))) {
                Matcher matcher = METRIC_ID.matcher(metric.path("id").asText());
                if (matcher.matches() && metric.hasNonNull("value") && bySubtask.containsKey(Integer.parseInt(matcher.group(1)))) {
                    bySubtask.get(Integer.parseInt(matcher.group(1)))
                            .put(matcher.group(2), (long) Double.parseDouble(metric.path("value").asText()));
                }
            }
        }
        ObjectNode scorer = json.createObjectNode().put("parallelism", parallelism);
        ArrayNode subtasks = scorer.putArray("subtasks");
        bySubtask.values().forEach(subtasks::add);
        return scorer;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the Flink REST API answered " + response.statusCode() + " to GET " + path);
        }
        return json.readTree(response.body());
    }
}
