package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bin/demo --rollout} as a user runs it: a canary challenger is published beside the
 * champion, the job reports on it, and {@code fitter rollout --watch} promotes it on that evidence;
 * every scoring subtask then scores with the promoted version.
 */
class DemoRolloutITCase {

    @TempDir Path work;

    @Test
    void aCanaryIsPublishedReportedOnAndPromotedAutomatically() throws Exception {
        int port = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(240), "--rollout", "--seconds", "45", "--fit-every", "4",
                "--port", Integer.toString(port), "--web-port", Integer.toString(webPort));
        List<String> lines = demo.stdout();

        assertThat(lines).anyMatch(l -> l.startsWith("[fitter] published model-2.json: 2  custom  {\"isCloned\":false}")
                && l.endsWith("(challenger, canary:25, of version 1)"));
        assertThat(lines).as("the canary's results").anyMatch(l -> l.contains("\"role\":\"canary\",\"modelVersion\":2"));
        assertThat(lines).as("the champion's results beside it").anyMatch(l -> l.contains("\"role\":\"champion\",\"modelVersion\":1"));
        assertThat(lines).as("the rollout reports").anyMatch(l -> l.startsWith("report> {\"model\":\"default\",\"champion\":1,\"challenger\":2"));
        assertThat(lines).anyMatch(l -> l.startsWith("[rollout] ") && l.contains("promoted challenger version 2 of default (policy met after 300 records")
                && l.contains("published model-3.json"));
        int promotion = indexOf(lines, "promoted challenger version 2");
        assertThat(lines.subList(promotion, lines.size())).as("results of the promoted version, without a role")
                .anyMatch(l -> l.contains("\"model\":\"default\",\"modelVersion\":3"));
        assertThat(demo.stderr()).doesNotContain("bad-record>", "rejected-model>", "Exception");

        assertThat(Processes.listening(port)).as("tcpsource stopped").isFalse();
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text);
    }
}
