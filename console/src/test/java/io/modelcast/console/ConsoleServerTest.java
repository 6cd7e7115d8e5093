package io.modelcast.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

/** The console's server on its own (no Flink, no database): the registry, what is not connected, and bad requests. */
class ConsoleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path models;

    private ConsoleServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRegistryListsEveryNameWithRolesLineageRolloutsAndTrainingMetrics() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publish(newest -> new CustomModel(false), warning -> {});
        directory.promote(1, warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("canary:25"), new Rollout.Policy(100, 0.01, 0.25),
                warning -> {});
        ModelRepository.open(models).directory("fraud").publish(newest -> new LogisticModel(new double[] {1, 2}, 0, 0.5,
                new io.modelcast.model.Evaluation(100, 0.9, 0.3, 0.87)), warning -> {});
        server = start(Optional.of(models), Optional.empty());

        JsonNode registry = get("/api/models", 200);

        JsonNode byDefault = registry.get("names").get(0);
        assertThat(byDefault.get("name").asText()).isEqualTo("default");
        assertThat(byDefault.get("versions")).extracting(v -> v.get("version").asLong() + " " + v.get("role").asText())
                .containsExactly("4 challenger", "3 champion", "2 earlier", "1 earlier");
        assertThat(byDefault.get("versions").get(1).get("promotedFrom").asLong()).isEqualTo(1);
        assertThat(byDefault.get("versions").get(0).get("rollout").asText()).isEqualTo("canary:25");
        JsonNode fraud = registry.get("names").get(1);
        assertThat(fraud.get("name").asText()).isEqualTo("fraud");
        assertThat(fraud.get("versions").get(0).get("evaluation").get("auc").asDouble()).isEqualTo(0.87);
    }

    @Test
    void aSourceThatIsNotConnectedSaysHowToConnectIt() throws Exception {
        server = start(Optional.of(models), Optional.empty());

        JsonNode status = get("/api/status", 200);
        assertThat(status.get("models").get("connected").asBoolean()).isTrue();
        assertThat(status.get("flink").get("connect").asText()).isEqualTo("start bin/console with --flink-rest URL");
        assertThat(get("/api/jobs", 404).get("error").asText()).contains("--flink-rest URL");
        assertThat(get("/api/results", 404).get("error").asText()).contains("--jdbc-url URL");
        assertThat(get("/api/evaluations", 404).get("error").asText()).contains("--lines FILE");
    }

    @Test
    void badRequestsGetA4xxWithAReasonAndNoStackTrace() throws Exception {
        server = start(Optional.of(models), Optional.of(new ResultsSearch.Source("jdbc:postgresql://127.0.0.1:1/none", "modelcast_results")));

        assertThat(get("/api/results?size=1000000000", 400).get("error").asText()).isEqualTo("'size' is from 1 to 500, not 1000000000");
        assertThat(get("/api/results?page=x", 400).get("error").asText()).isEqualTo("'page' is a whole number, not 'x'");
        assertThat(get("/api/results?drop=table", 400).get("error").asText()).startsWith("unknown parameter 'drop'");
        assertThat(get("/api/results?from=yesterday", 400).get("error").asText()).contains("ISO-8601");
        assertThat(get("/api/nothing", 404).get("error").asText()).isEqualTo("no such resource: GET /api/nothing");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/api/models")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        // The database is not there: a 500 that says so without a stack trace or the URL's details.
        HttpResponse<String> down = HTTP.send(HttpRequest.newBuilder(uri("/api/results")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(500);
        assertThat(down.body()).doesNotContain("at io.modelcast", "at org.").contains("details in its log");
    }

    @Test
    void thePageAndTheChartLibraryAreServedFromTheJarWithAStrictContentPolicy() throws Exception {
        server = start(Optional.empty(), Optional.empty());

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(uri("/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("modelcast console", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
        HttpResponse<String> uplot = HTTP.send(HttpRequest.newBuilder(uri("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
    }

    @Test
    void aConsoleReachableFromOtherMachinesOrOfferingActionsNeedsAToken() {
        assertThatThrownBy(() -> new ConsoleSettings("0.0.0.0", 8090, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false)).hasMessageContaining("--host 0.0.0.0 is reachable from other machines: give --token-file");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8090, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), true)).hasMessageContaining("--allow-actions needs --token-file");
        assertThatThrownBy(() -> new ResultsSearch.Source("jdbc:postgresql://x/y", "results; DROP TABLE x"))
                .hasMessageContaining("--jdbc-table must be a plain lower-case table name");
    }

    @Test
    void actionsAreOffUnlessAllowedAndThenNeedTheTokenTheCsrfTokenAndAConfirmation() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publish(newest -> new CustomModel(false), warning -> {});
        server = start(Optional.of(models), Optional.empty());
        assertThat(post("/api/actions/promote", "{\"version\": 1, \"confirm\": true}", null, null, null).statusCode()).isEqualTo(403);
        server.close();

        String token = "0123456789abcdef-console";
        server = ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, Optional.of(models), Optional.empty(), Optional.empty(),
                Optional.of(token), true));
        JsonNode csrfAnswer = get("/api/csrf", 200);
        String csrf = csrfAnswer.get("csrf").asText();
        String promote = "{\"version\": 1, \"confirm\": true}";

        assertThat(post("/api/actions/promote", promote, null, csrf, csrf).statusCode()).as("no token").isEqualTo(401);
        assertThat(post("/api/actions/promote", promote, "wrong-token-wrong-token", csrf, csrf).statusCode()).as("a wrong token")
                .isEqualTo(401);
        assertThat(post("/api/actions/promote", promote, token, null, null).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(post("/api/actions/promote", promote, token, "forged", "forged").statusCode()).as("a forged CSRF token")
                .isEqualTo(403);
        assertThat(post("/api/actions/promote", promote, token, csrf, "other").statusCode()).as("cookie and header differ")
                .isEqualTo(403);
        HttpResponse<String> unconfirmed = post("/api/actions/promote", "{\"version\": 1}", token, csrf, csrf);
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.body()).contains("confirm the action");
        assertThat(directory.versions()).as("nothing was published by refused actions").containsExactly(2L, 1L);

        HttpResponse<String> rolledBack = post("/api/actions/rollback", "{\"confirm\": true}", token, csrf, csrf);
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        assertThat(JSON.readTree(rolledBack.body()).get("published").asLong()).isEqualTo(3);
        assertThat(directory.readPublished(3).promotedFrom()).hasValue(1);
        HttpResponse<String> promoted = post("/api/actions/promote", "{\"version\": 2, \"confirm\": true}", token, csrf, csrf);
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(JSON.readTree(promoted.body()).get("promotedFrom").asLong()).isEqualTo(2);
        HttpResponse<String> retire = post("/api/actions/retire", "{\"version\": 2, \"confirm\": true}", token, csrf, csrf);
        assertThat(retire.statusCode()).isEqualTo(409);
        assertThat(retire.body()).contains("no challenger is");
        assertThat(post("/api/actions/delete", "{\"confirm\": true}", token, csrf, csrf).statusCode()).isEqualTo(404);
        assertThat(post("/api/actions/rollback", "{\"confirm\": true, \"pad\": \"" + "x".repeat(20_000) + "\"}", token, csrf, csrf)
                .statusCode()).as("a body over 16 KiB").isEqualTo(413);
        assertThat(directory.versions()).containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void theJobsEvaluationsDriftAndReportsAreReadFromItsOutputFile() throws Exception {
        Path output = models.resolve("output.txt");
        java.nio.file.Files.writeString(output, String.join("\n",
                "070707",
                "eval> {\"model\":\"default\",\"modelVersion\":1,\"role\":\"only\",\"windowEnd\":1000,\"labelled\":10,\"auc\":0.8}",
                "eval> {\"model\":\"fraud\",\"modelVersion\":3,\"role\":\"only\",\"windowEnd\":1000,\"labelled\":10,\"auc\":0.6}",
                "drift> {\"model\":\"default\",\"modelVersion\":1,\"windowEnd\":1000,\"scorePsi\":0.3,\"maxFeaturePsi\":1.4}",
                "eval> not json",
                "report> {\"model\":\"default\",\"champion\":1,\"challenger\":2,\"championScores\":[1,2],\"challengerScores\":[2,1]}",
                "eval> {\"model\":\"default\",\"modelVersion\":2,\"role\":\"canary\",\"windowEnd\":2000,\"lab") );
        server = ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, Optional.of(models), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.of(output), Optional.empty()));

        long deadline = System.currentTimeMillis() + 10_000;
        while (get("/api/evaluations", 200).get("records").size() < 2) {
            assertThat(System.currentTimeMillis()).as("the output file is read in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        // The last line is not complete yet: it waits for its end.
        java.nio.file.Files.writeString(output, "elled\":5,\"auc\":0.9}\n", java.nio.file.StandardOpenOption.APPEND);
        while (get("/api/evaluations", 200).get("records").size() < 3) {
            assertThat(System.currentTimeMillis()).as("the rest of the line is read in time").isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(get("/api/evaluations?model=default", 200).get("records")).extracting(r -> r.get("auc").asDouble())
                .containsExactly(0.8, 0.9);
        assertThat(get("/api/evaluations?limit=1", 200).get("records")).singleElement()
                .satisfies(r -> assertThat(r.get("modelVersion").asLong()).isEqualTo(2));
        assertThat(get("/api/drift", 200).get("records")).singleElement()
                .satisfies(r -> assertThat(r.get("maxFeaturePsi").asDouble()).isEqualTo(1.4));
        assertThat(get("/api/reports", 200).get("records")).singleElement()
                .satisfies(r -> assertThat(r.get("challenger").asLong()).isEqualTo(2));
        assertThat(get("/api/evaluations?limit=0", 400).get("error").asText()).isEqualTo("'limit' is from 1 to 2000, not '0'");
        assertThat(get("/api/status", 200).get("evidence").get("where").asText()).isEqualTo(output.toString());
    }

    @Test
    void theOpenApiFileDescribesEveryPathTheServerAnswers() throws Exception {
        JsonNode openApi = JSON.readTree(Path.of(System.getProperty("modelcast.root", "..")).resolve("docs/console-openapi.json").toFile());
        java.util.List<String> documented = new java.util.ArrayList<>();
        openApi.get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConsoleServer.API_PATHS);

        server = start(Optional.of(models), Optional.empty());
        for (String path : ConsoleServer.API_PATHS) {
            if (path.equals("/api/live") || path.contains("{")) {
                continue;
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).as("GET %s is routed", path).doesNotContain("no such resource");
        }
    }

    private HttpResponse<String> post(String path, String body, String token, String csrfCookie, String csrfHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (csrfCookie != null) {
            request.header("Cookie", Actions.CSRF_COOKIE + "=" + csrfCookie);
        }
        if (csrfHeader != null) {
            request.header(Actions.CSRF_HEADER, csrfHeader);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ConsoleServer start(Optional<Path> dir, Optional<ResultsSearch.Source> results) {
        return ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, dir, Optional.empty(), results, Optional.empty(), false));
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
