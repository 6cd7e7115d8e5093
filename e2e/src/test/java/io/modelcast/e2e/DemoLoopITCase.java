package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bin/demo --loop} as a user runs it: labelled records whose concept changes every 40 s, the
 * job evaluating and watching drift, the fitter training on the stream's examples every 20 s and
 * publishing canaries, and {@code fitter rollout --watch} promoting one that wins and retiring
 * (rolling back) one that loses — both within two minutes.
 */
class DemoLoopITCase {

    @TempDir Path work;

    @Test
    void theLoopPromotesAWinningCanaryAndRollsBackALosingOne() throws Exception {
        int port = Processes.freePort();
        int labelPort = Processes.freePort();
        int webPort = Processes.freePort();
        int consolePort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(300), "--loop", "--seconds", "120", "--port", Integer.toString(port),
                "--label-port", Integer.toString(labelPort), "--web-port", Integer.toString(webPort), "--console",
                "--console-port", Integer.toString(consolePort));
        List<String> lines = demo.stdout();

        assertThat(lines).as("evaluation records of a canary").anyMatch(l -> l.startsWith("eval> {\"model\":\"default\"")
                && l.contains("\"role\":\"canary\""));
        assertThat(lines).as("drift once the concept changed").anyMatch(l -> l.startsWith("drift> {\"model\":\"default\""));
        assertThat(lines).as("the fitter trains on the stream's examples")
                .anyMatch(l -> l.startsWith("[fitter] examples: ") && l.contains(" of model default from "));
        assertThat(lines).as("a promotion on the labels' evidence").anyMatch(l -> l.startsWith("[rollout] ")
                && l.contains(": promoted challenger version ") && l.contains("labels: "));
        assertThat(lines).as("a rollback on the labels' evidence").anyMatch(l -> l.startsWith("[rollout] ")
                && l.contains(": retired challenger version ") && l.contains("AUC on labelled records is below the bound"));
        assertThat(demo.stderr()).doesNotContain("Exception")
                .contains("demo: the console at http://127.0.0.1:" + consolePort + "/");
        assertThat(Files.readString(work.resolve("var/demo/console.log"))).contains("console: http://127.0.0.1:" + consolePort + "/");
        assertThat(Processes.listening(consolePort)).as("console stopped").isFalse();

        assertThat(Processes.listening(port)).as("tcpsource stopped").isFalse();
        assertThat(Processes.listening(labelPort)).as("tcpsource's label port closed").isFalse();
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }
}
