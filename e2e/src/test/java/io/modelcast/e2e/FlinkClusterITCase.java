package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * job.jar on a real standalone session cluster — a JobManager and a TaskManager process from
 * bin/flink-cluster — submitted the way the web UI does (REST), and with bin/flink.
 */
class FlinkClusterITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern VERSION = Pattern.compile("\"modelVersion\":(\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path work;

    private static FlinkCluster cluster;
    private static Process tcpsource;
    private static int tcpPort;

    @BeforeAll
    static void startClusterAndData() throws Exception {
        cluster = FlinkCluster.start(work.resolve("var"));
        System.out.printf("flink-cluster start: %d ms%n", cluster.startTime.toMillis());
        tcpPort = Processes.freePort();
        tcpsource = new ProcessBuilder(java(), "-jar", jar("tcpsource").toString(), "--port", Integer.toString(tcpPort),
                "--delay", "200ms").redirectErrorStream(true).redirectOutput(work.resolve("tcpsource.log").toFile()).start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (tcpsource != null) {
                Processes.stopWithDescendants(tcpsource);
            }
        } finally {
            if (cluster == null) {
                return;
            }
            List<Long> pids = cluster.pids();
            cluster.close();
            assertThat(pids).as("cluster processes").isNotEmpty()
                    .allSatisfy(pid -> assertThat(Processes.running(pid)).as("process %d runs", pid).isFalse());
            assertThat(Processes.listening(cluster.restPort)).as("REST port closed").isFalse();
            assertThat(Processes.listening(cluster.rpcPort)).as("RPC port closed").isFalse();
        }
    }

    @Test
    void aJarSubmittedLikeTheWebUiSwapsModelsStopsWithASavepointAndResumesWithItsModel() throws Exception {
        Path models = Files.createDirectories(work.resolve("models-rest"));
        fit(models);
        String jar = cluster.uploadJar(jar("job"));

        long submitted = System.nanoTime();
        String job = cluster.post("/jars/" + jar + "/run", Map.of(
                "programArgsList", List.of("--port", Integer.toString(tcpPort), "--models", models.toString(),
                        "--parallelism", "2", "--output-format", "json"),
                "parallelism", 2)).get("jobid").asText();
        JsonNode running = cluster.await("/jobs/" + job, TIMEOUT, "the job runs",
                node -> node.get("state").asText().equals("RUNNING")
                        && StreamSupport.stream(node.get("vertices").spliterator(), false)
                                .allMatch(v -> v.get("status").asText().equals("RUNNING")));
        System.out.printf("submit to RUNNING (all tasks): %d ms%n", (System.nanoTime() - submitted) / 1_000_000);
        assertThat(StreamSupport.stream(running.get("vertices").spliterator(), false).map(v -> v.get("name").asText()).toList())
                .anyMatch(name -> name.contains("Socket 127.0.0.1:" + tcpPort) && name.contains("Parse input"))
                .anyMatch(name -> name.contains("Model files in") && name.contains("Load and validate model"))
                .anyMatch(name -> name.startsWith("Score with latest model"));

        awaitOutputWithVersion(1);
        fit(models);
        awaitOutputWithVersion(2);
        fit(models);
        awaitOutputWithVersion(3);

        String trigger = cluster.post("/jobs/" + job + "/stop",
                Map.of("targetDirectory", work.resolve("savepoints").toUri().toString(), "drain", false)).get("request-id").asText();
        String savepoint = cluster.await("/jobs/" + job + "/savepoints/" + trigger, TIMEOUT, "the savepoint is complete",
                node -> node.get("status").get("id").asText().equals("COMPLETED")).get("operation").get("location").asText();
        assertThat(savepoint).startsWith("file:");
        cluster.await("/jobs/" + job, TIMEOUT, "the job has stopped", node -> node.get("state").asText().equals("FINISHED"));

        // The model must come from the savepoint: no model file is left to read.
        deleteAll(models);
        int linesBefore = cluster.taskManagerStdout().split("\n").length;
        String resumed = cluster.post("/jars/" + jar + "/run", Map.of(
                "programArgsList", List.of("--port", Integer.toString(tcpPort), "--models", models.toString(),
                        "--parallelism", "2", "--output-format", "json"),
                "savepointPath", savepoint)).get("jobid").asText();
        cluster.await("/jobs/" + resumed, TIMEOUT, "the resumed job runs", node -> node.get("state").asText().equals("RUNNING"));
        List<String> newLines = awaitNewOutputLines(linesBefore, 40);
        assertThat(newLines).allSatisfy(line -> assertThat(version(line)).as(line).isEqualTo(3));

        cluster.patch("/jobs/" + resumed + "?mode=cancel");
        cluster.await("/jobs/" + resumed, TIMEOUT, "the job is cancelled", node -> node.get("state").asText().equals("CANCELED"));
    }

    @Test
    void binFlinkRunsListsAndCancelsTheJobFromTheCommandLine() throws Exception {
        Path models = Files.createDirectories(work.resolve("models-cli"));
        fit(models);
        Path var = work.resolve("var");

        String submitted = Script.run(var, "bin/flink", List.of("run", "-d", jar("job").toString(),
                "--port", Integer.toString(tcpPort), "--models", models.toString(), "--parallelism", "1"), TIMEOUT);
        Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(submitted);
        assertThat(id.find()).as(submitted).isTrue();
        String job = id.group(1);
        cluster.await("/jobs/" + job, TIMEOUT, "the job runs", node -> node.get("state").asText().equals("RUNNING"));

        assertThat(Script.run(var, "bin/flink", List.of("list"), TIMEOUT)).contains(job + " : modelcast (RUNNING)");
        assertThat(Script.run(var, "bin/flink", List.of("cancel", job), TIMEOUT)).contains("Cancelled job " + job);
        cluster.await("/jobs/" + job, TIMEOUT, "the job is cancelled", node -> node.get("state").asText().equals("CANCELED"));
    }

    /**
     * The path docs/cluster.md walks a newcomer along: a SASL-secured broker (bin/kafka-local start
     * --sasl), a model published from Python (tools/python/modelcast_publish.py), the job submitted with
     * bin/flink run reading and writing through the secured listener with --kafka-properties, records
     * fed by bin/tcpsource through the same listener, results read back from the output topic.
     */
    @Test
    void aSecuredBrokerAndAModelPublishedFromPythonOnTheSessionCluster() throws Exception {
        Path var = work.resolve("var");
        Path models = Files.createDirectories(work.resolve("models-python"));
        int[] ports = Processes.freePorts(3);
        Script.run(var, "bin/kafka-local", List.of("start", "--sasl", "--port", Integer.toString(ports[0]),
                "--controller-port", Integer.toString(ports[1]), "--sasl-port", Integer.toString(ports[2])), TIMEOUT);
        Process tail = null;
        String job = null;
        try {
            String secured = "127.0.0.1:" + ports[2];
            String settings = var.resolve("kafka/client-sasl.properties").toString();
            Script.run(var, "bin/kafka-local", List.of("create-topics", "s0", "s2", "s2-dead-letters"), TIMEOUT);
            Process python = new ProcessBuilder("python3", Processes.root().resolve("tools/python/modelcast_publish.py").toString(),
                    "custom", "--models", models.toString(), "--cloned").redirectErrorStream(true).start();
            String published = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor()).as(published).isZero();

            String submitted = Script.run(var, "bin/flink", List.of("run", "-d", jar("job").toString(),
                    "--source", "kafka", "--bootstrap-servers", secured, "--kafka-properties", settings,
                    "--input-topic", "s0", "--output-topic", "s2", "--dead-letter-topic", "s2-dead-letters",
                    "--starting-offsets", "earliest", "--checkpoint-interval", "1s", "--models", models.toString(),
                    "--parallelism", "1"), TIMEOUT);
            Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(submitted);
            assertThat(id.find()).as(submitted).isTrue();
            job = id.group(1);
            cluster.await("/jobs/" + job, TIMEOUT, "the job runs", node -> node.get("state").asText().equals("RUNNING"));
            assertThat(Files.readString(Path.of(settings))).as("the password is in the settings file").contains("password=");
            assertThat(cluster.get("/jobs/" + job + "/config").toString()).as("the web UI's job configuration")
                    .doesNotContain(passwordIn(Path.of(settings)));

            Script.run(var, "bin/tcpsource", List.of("--kafka-topic", "s0", "--bootstrap-servers", secured,
                    "--kafka-properties", settings, "--count", "40"), TIMEOUT);

            Path results = work.resolve("s2.out");
            ProcessBuilder tailing = new ProcessBuilder(Processes.root().resolve("bin/kafka-local").toString(), "tail", "s2",
                    "--from-beginning").redirectErrorStream(true).redirectOutput(results.toFile());
            tailing.environment().put("MODELCAST_VAR_DIR", var.toString());
            tail = tailing.start();
            tail.getOutputStream().close();
            Process reading = tail;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<String> lines;
            do {
                assertThat(System.nanoTime()).as("40 results on s2 in time; so far:%n%s", Files.readString(results))
                        .isLessThan(deadline);
                assertThat(reading.isAlive()).as("kafka-local tail runs: %s", Files.readString(results)).isTrue();
                Thread.sleep(200);
                lines = Files.readAllLines(results).stream().filter(line -> line.startsWith("{")).toList();
            } while (lines.size() < 40);
            assertThat(lines).allSatisfy(line -> {
                JsonNode result = FlinkCluster.JSON.readTree(line);
                assertThat(result.get("modelVersion").asLong()).isEqualTo(1);
                long input = result.get("input").asLong();
                assertThat(result.get("output").asText()).isEqualTo(String.format("%02d", input).repeat(3));
            });
        } finally {
            if (tail != null) {
                Processes.stopWithDescendants(tail);
            }
            if (job != null) {
                Script.run(var, "bin/flink", List.of("cancel", job), TIMEOUT);
            }
            Script.run(var, "bin/kafka-local", List.of("stop"), TIMEOUT);
        }
    }

    private static String passwordIn(Path settings) throws Exception {
        Matcher password = Pattern.compile("password=\"([^\"]+)\"").matcher(Files.readString(settings));
        assertThat(password.find()).isTrue();
        return password.group(1);
    }

    private static void awaitOutputWithVersion(long version) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!cluster.taskManagerStdout().contains("\"modelVersion\":" + version + ",")) {
            assertThat(System.nanoTime()).as("output with model version %d in time", version).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static List<String> awaitNewOutputLines(int after, int count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String[] lines = cluster.taskManagerStdout().split("\n");
            List<String> newLines = new ArrayList<>();
            for (int i = after; i < lines.length; i++) {
                if (lines[i].startsWith("{")) {
                    newLines.add(lines[i]);
                }
            }
            if (newLines.size() >= count) {
                return newLines;
            }
            assertThat(System.nanoTime()).as("%d new output lines in time", count).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static long version(String line) {
        Matcher matcher = VERSION.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static void fit(Path models) throws Exception {
        Process fit = new ProcessBuilder(java(), "-jar", jar("fitter").toString(), "fit", "--models", models.toString())
                .redirectErrorStream(true).start();
        String output;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fit.getInputStream(), StandardCharsets.UTF_8))) {
            output = String.join("\n", reader.lines().toList());
        }
        assertThat(fit.waitFor()).as(output).isZero();
    }

    private static void deleteAll(Path dir) throws Exception {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
    }

    static Path jar(String module) {
        return Processes.root().resolve(module).resolve("target").resolve(module + ".jar");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
