package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** Reading the benchmark job's output while it writes it. */
class ThroughputRunTest {

    @Test
    void aLineIsTakenOnlyOnceItIsWhole(@TempDir Path dir) throws Exception {
        Path output = Files.writeString(dir.resolve("job.out"), "READY\nRESULT {\"records\":10,");
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            assertThatThrownBy(() -> ThroughputRun.awaitLine(output, "RESULT ", alive, Duration.ofMillis(100)))
                    .isInstanceOf(IOException.class).hasMessageContaining("did not print RESULT");

            Files.writeString(output, "\"recordsPerSecond\":5.0}\n", StandardOpenOption.APPEND);
            assertThat(ThroughputRun.awaitLine(output, "RESULT ", alive, Duration.ofSeconds(10)))
                    .isEqualTo("RESULT {\"records\":10,\"recordsPerSecond\":5.0}");
        } finally {
            alive.destroyForcibly();
        }
    }
}
