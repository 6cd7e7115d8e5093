package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * {@code bin/console} over a real run: PostgreSQL ({@code bin/postgres-local}), tcpsource, the job in
 * local mode writing its results to the database, the fitter publishing. The console's API shows the
 * version every scoring subtask scores with (from the job's Flink REST API), its live feed shows a
 * publish on every subtask within two seconds, and the results search finds inputs — with SQL
 * metacharacters in a query doing no harm. Then the page in headless Chromium: a publish shows on
 * every subtask within two seconds, both charts have drawn their data, the search finds, and an
 * action is refused without the token and done with it (both logged, the token never).
 */
class ConsoleITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String TOKEN = "e2e-console-token-0123456789";
    /** The page as the browser saw it; docs/images/console.png is a copy of one. */
    static final Path SCREENSHOT = Processes.root().resolve("e2e/target/screenshots/console.png");

    @TempDir Path work;

    private final List<Process> processes = new ArrayList<>();
    private Path pgDir;

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            Processes.stopWithDescendants(process);
        }
        if (pgDir != null) {
            Script.outcome(work.resolve("var"), "bin/postgres-local", List.of("stop", "--dir", pgDir.toString(), "--wipe"),
                    Duration.ofSeconds(60));
        }
    }

    @Test
    void theConsoleShowsEverySubtasksVersionLiveAndFindsResults() throws Exception {
        int[] ports = Processes.freePorts(4);
        int feedPort = ports[0];
        int webPort = ports[1];
        int consolePort = ports[2];
        // The server runs as the postgres user when the tests run as root: it must be able to enter the directory.
        pgDir = Files.createTempDirectory("modelcast-console-pg", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        String jdbcUrl = Script.run(work.resolve("var"), "bin/postgres-local",
                List.of("start", "--dir", pgDir.toString(), "--port", Integer.toString(ports[3])), TIMEOUT).strip().lines()
                .reduce((first, second) -> second).orElseThrow();
        Path models = Files.createDirectories(work.resolve("models"));
        Script.run(work.resolve("var"), "bin/fitter", List.of("fit", "--models", models.toString()), TIMEOUT);
        start("tcpsource", "bin/tcpsource", "--port", Integer.toString(feedPort), "--delay", "100ms");
        start("job", "bin/job-local", "--models", models.toString(), "--port", Integer.toString(feedPort),
                "--web-port", Integer.toString(webPort), "--parallelism", "2", "--model-poll-interval", "100ms",
                "--jdbc-url", jdbcUrl, "--checkpoint-interval", "1s");
        Path tokenFile = Files.writeString(work.resolve("console-token"), TOKEN + "\n");
        // What a job with labels prints (this one has none): the console follows the file.
        Path evidence = Files.writeString(work.resolve("evidence.txt"), String.join("\n",
                "eval> {\"model\":\"default\",\"modelVersion\":1,\"role\":\"only\",\"windowEnd\":1000,\"labelled\":50,\"auc\":0.71}",
                "eval> {\"model\":\"default\",\"modelVersion\":1,\"role\":\"only\",\"windowEnd\":4000,\"labelled\":50,\"auc\":0.78}",
                "eval> {\"model\":\"default\",\"modelVersion\":1,\"role\":\"only\",\"windowEnd\":7000,\"labelled\":50,\"auc\":0.74}",
                "drift> {\"model\":\"default\",\"modelVersion\":1,\"windowEnd\":5000,\"scorePsi\":0.1,\"maxFeaturePsi\":0.4}",
                "report> {\"model\":\"default\",\"champion\":1,\"challenger\":2,\"challengerRecords\":40,\"championScores\":[5,9,4,2],"
                        + "\"challengerScores\":[1,3,9,7]}") + "\n");
        start("console", "bin/console", "--port", Integer.toString(consolePort), "--models", models.toString(),
                "--flink-rest", "http://127.0.0.1:" + webPort, "--jdbc-url", jdbcUrl, "--allow-actions", "--token-file",
                tokenFile.toString(), "--lines", evidence.toString());
        String console = "http://127.0.0.1:" + consolePort;

        awaitJson(console + "/api/jobs", jobs -> versions(jobs.path("jobs")).equals(List.of(1L, 1L)));
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        Thread feed = follow(console + "/api/live", events);

        Script.run(work.resolve("var"), "bin/fitter", List.of("fit", "--models", models.toString()), TIMEOUT);
        long published = System.currentTimeMillis();
        long deadline = published + TIMEOUT.toMillis();
        long shown = -1;
        while (shown < 0 && System.currentTimeMillis() < deadline) {
            for (JsonNode event : events) {
                if (versions(event.path("jobs")).equals(List.of(2L, 2L))) {
                    shown = event.get("time").asLong();
                    break;
                }
            }
            Thread.sleep(50);
        }
        feed.interrupt();
        System.out.printf("[console] a publish showed on every subtask in the live feed after %d ms%n", shown - published);
        assertThat(shown).as("the live feed showed version 2 on every subtask").isPositive();
        assertThat(shown - published).as("ms from the publish to the live feed showing it on every subtask").isLessThanOrEqualTo(2_000);

        JsonNode registry = getJson(console + "/api/models", 200);
        assertThat(registry.get("names").get(0).get("versions")).extracting(v -> v.get("role").asText())
                .containsExactly("champion", "earlier");

        JsonNode found = awaitJson(console + "/api/results?contains=13&model=default&size=5", r -> r.get("results").size() > 0);
        assertThat(found.get("results")).allSatisfy(r -> {
            assertThat(r.get("input").asText()).contains("13");
            assertThat(r.get("status").asText()).isEqualTo("SCORED");
        });
        String injection = URLEncoder.encode("'; DROP TABLE modelcast_results; --", StandardCharsets.UTF_8);
        assertThat(getJson(console + "/api/results?contains=" + injection, 200).get("results")).isEmpty();
        assertThat(getJson(console + "/api/results?contains=%25&size=1", 200).get("results"))
                .as("a % matches a literal percent sign, not everything").isEmpty();
        assertThat(getJson(console + "/api/results?size=1", 200).get("results")).as("the table is still there").hasSize(1);
        assertThat(getJson(console + "/api/results?size=1000000000", 400).get("error").asText()).contains("from 1 to 500");

        lookAtThePage(console, models);
    }

    /** The page in a real browser: a publish on every subtask within 2 s, charts with data, a search that finds. */
    private void lookAtThePage(String console, Path models) throws Exception {
        try {
            Script.run(work.resolve("install"), "bin/install-browser", List.of(), Duration.ofMinutes(10));
        } catch (Exception e) {
            throw new AssertionError("THE BROWSER COULD NOT BE INSTALLED, so the console page was not tested: " + e.getMessage(), e);
        }
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        String publish = JSON.writeValueAsString(List.of(Processes.root().resolve("bin/fitter").toString(), "fit", "--models",
                models.toString()));
        Process browser = new ProcessBuilder("node", Processes.root().resolve("e2e/browser/console-page.mjs").toString(),
                "--url", console, "--publish", publish, "--search", "13", "--token", TOKEN, "--screenshot", SCREENSHOT.toString())
                .redirectOutput(work.resolve("browser.out").toFile())
                .redirectError(work.resolve("browser.err").toFile())
                .start();
        try {
            assertThat(browser.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).as("the browser script finished").isTrue();
            assertThat(browser.exitValue()).as("browser script; stderr: %s", Files.readString(work.resolve("browser.err"))).isZero();
        } finally {
            Processes.stopWithDescendants(browser);
        }
        JsonNode seen = JSON.readTree(Files.readString(work.resolve("browser.out")));
        System.out.println("[console] the page: " + seen + "; screenshot " + SCREENSHOT);
        assertThat(seen.get("subtasks").asInt()).isEqualTo(2);
        assertThat(seen.get("shownAfterMs").asLong()).as("ms from a publish to the page showing it on every subtask")
                .isLessThanOrEqualTo(2_000);
        assertThat(seen.get("throughputPixels").asInt()).as("pixels of the records/s line").isGreaterThan(20);
        assertThat(seen.get("versionPixels").asInt()).as("pixels of the subtasks' version lines").isGreaterThan(20);
        assertThat(seen.get("aucPixels").asInt()).as("pixels of the AUC line").isGreaterThan(20);
        assertThat(seen.get("scorePixels").asInt()).as("pixels of the champion's score distribution").isGreaterThan(20);
        assertThat(seen.get("found")).isNotEmpty().allSatisfy(input -> assertThat(input.asText()).contains("13"));
        assertThat(seen.get("withoutToken").asText()).as("an action without the token")
                .startsWith("rollback refused (401)").contains("needs the console's token");
        assertThat(seen.get("withToken").asText()).as("the same action with the token").startsWith("rollback of default: published version");
        assertThat(Files.readString(work.resolve("console.err"))).as("the console's log of both")
                .contains("Refused action rollback from", "Action rollback of model default from").doesNotContain(TOKEN);
        assertThat(SCREENSHOT).exists();
    }

    private void start(String name, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Processes.root().resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
        builder.environment().put("MODELCAST_VAR_DIR", work.resolve("var").toString());
        processes.add(builder.start());
    }

    /** The model version of every scoring subtask of the first running job, in subtask order. */
    private static List<Long> versions(JsonNode jobs) {
        List<Long> versions = new ArrayList<>();
        if (jobs.isArray() && jobs.size() > 0) {
            for (JsonNode subtask : jobs.get(0).path("scorer").path("subtasks")) {
                versions.add(subtask.path("modelVersion").asLong(-1));
            }
        }
        return versions;
    }

    /** Reads the server-sent events of {@code url} in the background, each {@code live} event's data as JSON. */
    private static Thread follow(String url, List<JsonNode> events) {
        Thread thread = new Thread(() -> {
            try {
                HttpResponse<java.io.InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null && !Thread.currentThread().isInterrupted(); ) {
                        if (line.startsWith("data:")) {
                            events.add(JSON.readTree(line.substring(5).strip()));
                        }
                    }
                }
            } catch (Exception e) {
                // Interrupted, or the console went away: the test looks at what was read.
            }
        }, "console-live");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static JsonNode awaitJson(String url, Predicate<JsonNode> done) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && done.test(JSON.readTree(response.body()))) {
                    return JSON.readTree(response.body());
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + url + " did not answer as expected within " + TIMEOUT.toSeconds() + " s; last: " + last);
    }

    private static JsonNode getJson(String url, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
