package io.modelcast.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A session cluster started with {@code bin/flink-cluster} (real JobManager and TaskManager
 * processes) in its own directory and on free ports, and the REST calls the web UI makes.
 */
final class FlinkCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path varDir;
    final int restPort;
    final int rpcPort;
    final Duration startTime;

    private FlinkCluster(Path varDir, int restPort, int rpcPort, Duration startTime) {
        this.varDir = varDir;
        this.restPort = restPort;
        this.rpcPort = rpcPort;
        this.startTime = startTime;
    }

    /** Starts a cluster; {@code options} are passed as {@code -D KEY=VALUE}. */
    static FlinkCluster start(Path varDir, String... options) throws Exception {
        int[] ports = Processes.freePorts(2);
        int restPort = ports[0];
        int rpcPort = ports[1];
        List<String> command = new ArrayList<>(List.of("start", "--rest-port", Integer.toString(restPort),
                "--rpc-port", Integer.toString(rpcPort)));
        for (String option : options) {
            command.add("-D");
            command.add(option);
        }
        long started = System.nanoTime();
        FlinkCluster cluster = new FlinkCluster(varDir, restPort, rpcPort, Duration.ZERO);
        // Should the test JVM be killed, the cluster's processes (in sessions of their own) still go.
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::killQuietly, "flink-cluster-stop"));
        Script.run(varDir, "bin/flink-cluster", command, Duration.ofMinutes(3));
        return new FlinkCluster(varDir, restPort, rpcPort, Duration.ofNanos(System.nanoTime() - started));
    }

    private void killQuietly() {
        try {
            for (long pid : pids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException e) {
            // Exiting anyway.
        }
    }

    URI rest(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(rest(path)).GET().build());
    }

    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(rest(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(rest(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    void patch(String path) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(rest(path)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Uploads a jar as the web UI's Submit page does ({@code POST /jars/upload}, multipart {@code jarfile}). */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----modelcast" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode response = send(HttpRequest.newBuilder(rest("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
        String filename = response.get("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Polls {@code path} until {@code condition} holds for its JSON, or fails after {@code timeout}. */
    JsonNode await(String path, Duration timeout, String what, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode node = get(path);
                if (condition.test(node)) {
                    return node;
                }
                last = node.toString();
            } catch (IOException e) {
                last = e.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + "; last: "
                + last.substring(0, Math.min(500, last.length())));
    }

    /** The stdout of every TaskManager, as the web UI shows it. */
    String taskManagerStdout() throws IOException, InterruptedException {
        StringBuilder all = new StringBuilder();
        for (JsonNode taskManager : get("/taskmanagers").get("taskmanagers")) {
            all.append(getText("/taskmanagers/" + taskManager.get("id").asText() + "/stdout"));
        }
        return all.toString();
    }

    /** The PIDs bin/flink-cluster recorded. */
    List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        Path pidDir = varDir.resolve("flink/pids");
        if (Files.isDirectory(pidDir)) {
            try (var files = Files.list(pidDir)) {
                for (Path file : files.toList()) {
                    pids.add(Long.parseLong(Files.readString(file).trim()));
                }
            }
        }
        return pids;
    }

    @Override
    public void close() throws Exception {
        Script.run(varDir, "bin/flink-cluster", List.of("stop"), Duration.ofMinutes(2));
    }
}
