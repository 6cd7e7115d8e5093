package io.modelcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting, watching and stopping the processes a harness runs. */
final class Processes {

    private Processes() {}

    static Process start(List<String> command, Path output) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Runs a command to its end; fails, with its output, if it fails or takes longer than {@code timeout}. */
    static void runToEnd(List<String> command, Path output, Duration timeout) throws IOException, InterruptedException {
        Process process = start(command, output);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(process);
            throw new IOException(String.join(" ", command.subList(0, Math.min(4, command.size()))) + "… timed out; see " + output);
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit code " + process.exitValue() + ": " + Files.readString(output));
        }
    }

    /** Fails if the process has exited or the deadline has passed. */
    static void check(Process process, long deadlineNanos, String whatFailed) {
        if (!process.isAlive()) {
            throw new IllegalStateException(whatFailed + ": the job exited with code " + process.exitValue());
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException(whatFailed + " in time");
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
