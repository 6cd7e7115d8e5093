package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code bin/demo} as a user runs it: tcpsource, the fitter and the local job as real processes.
 * The job's output must flip between the cloned and the plain form as the fitter publishes, and
 * nothing may be left running afterwards.
 */
class DemoITCase {

    private static final Pattern CLONED = Pattern.compile("(\\d{2,})\\1\\1");
    private static final Pattern PLAIN = Pattern.compile("\\d{2}");

    @TempDir Path work;

    @Test
    void outputFlipsBetweenClonedAndPlainAsTheFitterPublishes() throws Exception {
        int port = Processes.freePort();
        int webPort = Processes.freePort();
        DemoRun demo = DemoRun.of(work, Duration.ofSeconds(180), "--seconds", "45", "--fit-every", "6",
                "--port", Integer.toString(port), "--web-port", Integer.toString(webPort));
        String stderr = demo.stderr();
        List<String> lines = demo.stdout();
        List<String> outputs = lines.stream().filter(l -> !l.startsWith("[fitter]")).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("[fitter] published model-1.json: 1  custom  {\"isCloned\":true}"));
        assertThat(lines).anyMatch(l -> l.startsWith("[fitter] published model-2.json: 2  custom  {\"isCloned\":false}"));
        assertThat(outputs).as("every output line is a model output").allMatch(l -> CLONED.matcher(l).matches() || PLAIN.matcher(l).matches());
        assertThat(runsOfForm(outputs)).as("forms of the output, in order").startsWith("cloned", "plain");
        assertThat(stderr).doesNotContain("bad-record>", "rejected-model>", "Exception");

        assertThat(Processes.listening(port)).as("tcpsource stopped").isFalse();
        assertThat(Processes.listening(webPort)).as("job stopped").isFalse();
    }

    /** "cloned", "plain", "cloned", … : one entry per run of lines of the same form. */
    private static List<String> runsOfForm(List<String> outputs) {
        List<String> runs = new ArrayList<>();
        for (String line : outputs) {
            String form = CLONED.matcher(line).matches() ? "cloned" : "plain";
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(form)) {
                runs.add(form);
            }
        }
        return runs;
    }
}
