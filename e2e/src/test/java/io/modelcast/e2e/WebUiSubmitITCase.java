package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The web UI's "Submit New Job" page in a real browser (headless Chromium, driven by
 * playwright-core): upload job.jar, leave the entry class to its manifest, fill the program
 * arguments, submit, see the job RUNNING in Running Jobs. bin/install-browser installs the browser
 * first; if it cannot, this test fails and says why — it never passes without a browser.
 *
 * <p>Flink 2.2's web UI does not pass its Program Arguments field on (FLINK-39310), so the cluster
 * is started with the same arguments as {@code modelcast.job.args}, which the job reads when it gets
 * none; the test checks the job really runs with them.
 */
class WebUiSubmitITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path SCREENSHOT = Processes.root().resolve("e2e/target/web-ui-submit.png");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path work;

    private static FlinkCluster cluster;
    private static Process tcpsource;
    private static String jobArgs;

    @BeforeAll
    static void installBrowserAndStartCluster() throws Exception {
        try {
            Script.run(work.resolve("install"), "bin/install-browser", List.of(), Duration.ofMinutes(10));
        } catch (Exception e) {
            throw new AssertionError("THE BROWSER COULD NOT BE INSTALLED, so the web UI was not tested: " + e.getMessage(), e);
        }
        int tcpPort = Processes.freePort();
        Path models = Files.createDirectories(work.resolve("models"));
        Process fit = new ProcessBuilder(FlinkClusterITCase.java(), "-jar", FlinkClusterITCase.jar("fitter").toString(),
                "fit", "--models", models.toString()).redirectErrorStream(true).start();
        assertThat(fit.waitFor()).isZero();
        tcpsource = new ProcessBuilder(FlinkClusterITCase.java(), "-jar", FlinkClusterITCase.jar("tcpsource").toString(),
                "--port", Integer.toString(tcpPort), "--delay", "200ms")
                .redirectErrorStream(true).redirectOutput(work.resolve("tcpsource.log").toFile()).start();
        jobArgs = "--port " + tcpPort + " --models " + models + " --output-format json";
        cluster = FlinkCluster.start(work.resolve("var"), "modelcast.job.args=" + jobArgs);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tcpsource != null) {
            Processes.stopWithDescendants(tcpsource);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJobUploadedAndSubmittedInTheWebUiRuns() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Process browser = new ProcessBuilder("node", Processes.root().resolve("e2e/browser/submit-job.mjs").toString(),
                "--url", "http://127.0.0.1:" + cluster.restPort,
                "--jar", FlinkClusterITCase.jar("job").toString(),
                "--args", jobArgs,
                "--parallelism", "2",
                "--screenshot", SCREENSHOT.toString())
                .redirectOutput(work.resolve("browser.out").toFile())
                .redirectError(work.resolve("browser.err").toFile())
                .start();
        try {
            assertThat(browser.waitFor(3, TimeUnit.MINUTES)).as("the browser script finished").isTrue();
            assertThat(browser.exitValue()).as("browser script; stderr: %s", Files.readString(work.resolve("browser.err"))).isZero();
        } finally {
            Processes.stopWithDescendants(browser);
        }
        String printed = Files.readString(work.resolve("browser.out"));

        JsonNode result = FlinkCluster.JSON.readTree(printed);
        assertThat(result.get("entryClass").asText()).as("entry class, from the jar's manifest").isEqualTo("io.modelcast.job.ModelcastJob");
        String job = result.get("jobId").asText();
        cluster.await("/jobs/" + job, TIMEOUT, "the job runs", node -> node.get("state").asText().equals("RUNNING"));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!cluster.taskManagerStdout().contains("\"modelVersion\":1,")) {
            assertThat(System.nanoTime()).as("the job scores with the published model in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(SCREENSHOT).exists();
        System.out.println("web UI screenshot: " + SCREENSHOT);

        cluster.patch("/jobs/" + job + "?mode=cancel");
        cluster.await("/jobs/" + job, TIMEOUT, "the job is cancelled", node -> node.get("state").asText().equals("CANCELED"));
    }
}
