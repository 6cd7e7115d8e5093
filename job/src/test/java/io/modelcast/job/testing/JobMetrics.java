package io.modelcast.job.testing;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

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
}
