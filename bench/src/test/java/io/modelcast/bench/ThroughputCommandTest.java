package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code bin/bench throughput} refuses, before it starts any run, options that would fail later. */
class ThroughputCommandTest {

    @Test
    void anUnknownVariantIsAUsageError(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("bench-job/target"));
        Outcome outcome = run("--root", root.toString(), "--variants", "broadcast,chained");
        assertThat(outcome.exitCode).isEqualTo(2);
        assertThat(outcome.err).contains("unknown --variants [chained]").contains("[baseline, hop, broadcast, shadow, features, labels, spark]");
    }

    @Test
    void aCheckoutThatIsNotBuiltIsNamed(@TempDir Path root) throws Exception {
        Path unbuilt = Files.createDirectories(root.resolve("other"));
        Files.createDirectories(root.resolve("bench-job/target"));
        Outcome outcome = run("--root", root.toString(), "--against", unbuilt.toString());
        assertThat(outcome.exitCode).isEqualTo(2);
        assertThat(outcome.err).contains(unbuilt + " is not a built checkout");
    }

    @Test
    void repetitionsMustBePositive(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("bench-job/target"));
        Outcome outcome = run("--root", root.toString(), "--repetitions", "0");
        assertThat(outcome.exitCode).isEqualTo(2);
        assertThat(outcome.err).contains("must be at least 1");
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ThroughputCommand()).setErr(new PrintWriter(err));
        int exitCode = command.execute(args);
        return new Outcome(exitCode, err.toString());
    }

    private record Outcome(int exitCode, String err) {}
}
