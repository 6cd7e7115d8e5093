package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrProfileTest {

    private static volatile long sink;

    /** A method that takes nearly all of a thread's time, so it tops that thread's samples. */
    private static void spin(long until) {
        long x = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                x += i * 31L ^ x;
            }
        }
        sink = x;
    }

    @Test
    void attributesExecutionSamplesToThreadsAndMethods(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("spin.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            Thread spinner = new Thread(() -> spin(System.nanoTime() + Duration.ofMillis(1500).toNanos()), "spinner (1/1)#0");
            spinner.start();
            spinner.join();
            recording.stop();
            recording.dump(file);
        }

        JfrProfile profile = JfrProfile.read(file, 5);

        assertThat(profile.samples()).isGreaterThan(0);
        // The subtask suffix is dropped, so the subtasks of one operator add up.
        assertThat(profile.byThread()).containsKey("spinner");
        assertThat(profile.byThread().keySet()).hasSizeLessThanOrEqualTo(5);
        assertThat(profile.totalByMethod()).containsKey("JfrProfileTest.spin");
        assertThat(profile.totalByMethod().get("JfrProfileTest.spin")).isGreaterThan(50.0);
        assertThat(new ArrayList<>(profile.byThread().values())).isSortedAccordingTo((Double a, Double b) -> Double.compare(b, a));
    }
}
