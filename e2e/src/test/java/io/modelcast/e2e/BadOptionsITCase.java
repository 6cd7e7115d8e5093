package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A wrong option ends the job's entry points with one line saying what is wrong and exit code 2 —
 * not a stack trace — both run locally ({@code bin/job-local}) and through {@code flink run}
 * ({@code bin/flink}), whose client runs the job's main before anything reaches a cluster; and the
 * tools' scripts ({@code bin/fitter}, {@code bin/tcpsource}) run and do the same.
 */
class BadOptionsITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir Path var;

    @Test
    void jobLocalRejectsAWrongOptionWithOneLineAndExitCodeTwo() throws Exception {
        Script.Outcome outcome = Script.outcome(var, "bin/job-local", List.of("--models", var.toString(), "--bogus"), TIMEOUT);

        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(2);
        assertThat(outcome.err().lines().filter(line -> line.startsWith("job-local: "))).singleElement()
                .satisfies(line -> assertThat(line).contains("Unknown option: '--bogus'"));
        assertThat(outcome.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theToolsRunAsTheReadmeWritesThemAndRejectAWrongOption() throws Exception {
        for (String tool : List.of("fitter", "tcpsource")) {
            Script.Outcome help = Script.outcome(var, "bin/" + tool, List.of("--help"), TIMEOUT);
            assertThat(help.exitCode()).as(help.err()).isZero();
            assertThat(help.out()).startsWith("Usage: " + tool);

            Script.Outcome wrong = Script.outcome(var, "bin/" + tool, List.of("--bogus"), TIMEOUT);
            assertThat(wrong.exitCode()).as(wrong.err()).isEqualTo(2);
            assertThat(wrong.err()).contains("Unknown option: '--bogus'").doesNotContain("\tat ");
        }
    }

    @Test
    void flinkRunRejectsAWrongOptionWithOneLineAndExitCodeTwo() throws Exception {
        Script.Outcome outcome = Script.outcome(var, "bin/flink", List.of("run", Processes.root()
                .resolve("job/target/job.jar").toString(), "--models", var.toString(), "--port", "0"), TIMEOUT);

        assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isEqualTo(2);
        assertThat(outcome.err()).contains("modelcast: --port must be between 1 and 65535, was 0")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
