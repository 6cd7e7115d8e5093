package io.modelcast.job.testing;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a job's metrics through the REST API the web UI uses. */
public final class JobMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private JobMetrics() {}

    /** The value of a job-level metric (such as {@code numRestarts}), if the cluster reports it yet. */
    public static OptionalLong jobMetric(URI restAddress, JobID job, String metric) throws IOException, InterruptedException {
        URI uri = restAddress.resolve("/jobs/" + job + "/metrics?get=" + metric);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return OptionalLong.empty();
        }
        for (JsonNode entry : JSON.readTree(response.body())) {
            if (metric.equals(entry.path("id").asText())) {
                return OptionalLong.of(entry.path("value").asLong());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The values of an operator metric (such as {@code modelSwaps}, or {@code scoringTimeNanos_count}
     * for a histogram) by subtask, from every operator of the job that reports it; empty until the
     * cluster has fetched it.
     */
    public static Map<Integer, Double> operatorMetric(URI restAddress, JobID job, String metric)
            throws IOException, InterruptedException {
        Pattern id = Pattern.compile("(\\d+)\\..*\\." + Pattern.quote(metric));
        Map<Integer, Double> values = new TreeMap<>();
        for (JsonNode vertex : get(restAddress, "/jobs/" + job).path("vertices")) {
            String vertexPath = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode entry : get(restAddress, vertexPath)) {
                if (id.matcher(entry.path("id").asText()).matches()) {
                    ids.add(entry.path("id").asText());
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            for (JsonNode entry : get(restAddress, vertexPath + "?get=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))) {
                Matcher matcher = id.matcher(entry.path("id").asText());
                if (matcher.matches() && entry.hasNonNull("value")) {
                    values.put(Integer.parseInt(matcher.group(1)), Double.parseDouble(entry.path("value").asText()));
                }
            }
        }
        return values;
    }

    /** The id of the job vertex whose name starts with a prefix (a chain is named after its operators). */
    public static String vertexId(URI restAddress, JobID job, String namePrefix) throws IOException, InterruptedException {
        for (JsonNode vertex : get(restAddress, "/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().startsWith(namePrefix)) {
                return vertex.path("id").asText();
            }
        }
        throw new IllegalArgumentException("job " + job + " has no vertex named " + namePrefix + "…");
    }

    private static JsonNode get(URI restAddress, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(restAddress.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
