package io.modelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code bin/demo} as a user starts it, with its work files under {@code work}: waits
 * for it to stop by itself (its {@code --seconds}), stops whatever it left behind, and checks it
 * exited 0.
 *
 * @param stdout what it printed, line by line
 * @param stderr what it printed on standard error
 */
record DemoRun(List<String> stdout, String stderr) {

    static DemoRun of(Path work, Duration limit, String... args) throws Exception {
        Path out = work.resolve("demo.out");
        Path err = work.resolve("demo.err");
        List<String> command = new ArrayList<>(List.of(Processes.root().resolve("bin/demo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder demo = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        demo.environment().put("MODELCAST_VAR_DIR", work.resolve("var").toString());
        Process process = demo.start();
        try {
            assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).as("demo finished").isTrue();
        } finally {
            Processes.stopWithDescendants(process);
        }
        String stderr = Files.readString(err);
        assertThat(process.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
        return new DemoRun(Files.readAllLines(out), stderr);
    }
}
