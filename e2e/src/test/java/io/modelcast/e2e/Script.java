package io.modelcast.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the project's scripts to its end, with its files under a test's own var directory. */
final class Script {

    private Script() {}

    /** How a script ended, and what it printed. */
    record Outcome(int exitCode, String out, String err) {}

    /** Runs {@code script} with {@code args}; returns its standard output; fails with its output if it fails. */
    static String run(Path varDir, String script, List<String> args, Duration timeout) throws Exception {
        Outcome outcome = outcome(varDir, script, args, timeout);
        if (outcome.exitCode() != 0) {
            throw new IOException(script + " " + args + " exited with " + outcome.exitCode() + ":\n" + outcome.out()
                    + outcome.err());
        }
        return outcome.out();
    }

    /** Runs {@code script} with {@code args} to its end, however it ends. */
    static Outcome outcome(Path varDir, String script, List<String> args, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Processes.root().resolve(script).toString());
        command.addAll(args);
        Files.createDirectories(varDir);
        Path out = Files.createTempFile(varDir, "script", ".out");
        Path err = Files.createTempFile(varDir, "script", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MODELCAST_VAR_DIR", varDir.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(script + " " + args + " did not finish in " + timeout.toSeconds() + " s; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            Processes.stopWithDescendants(process);
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
