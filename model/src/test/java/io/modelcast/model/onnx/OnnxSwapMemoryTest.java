package io.modelcast.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Native memory over thousands of ONNX swaps, as a scoring subtask does them: decode the next
 * model file, score a batch with it, close the one it replaces.
 *
 * <p>Measured in a JVM of its own, with a fixed, pre-touched heap, so the resident set changes
 * only with native allocations, and not with other tests or with the heap growing and shrinking.
 * The first 1,000 swaps let the allocator settle (glibc keeps freed memory for reuse: resident
 * memory rises for a while and then stays flat); the next 1,000 must add less than 64 MB. A
 * session left open after it ran a batch holds about 1.4 MB with these 20,000-feature models, so
 * leaking one swap in ten would fail.
 */
class OnnxSwapMemoryTest {

    static final int FEATURES = 20_000;
    static final int ROWS = 64;
    static final int WARM_UP_SWAPS = 1_000;
    static final int MEASURED_SWAPS = 1_000;
    static final long MAX_GROWTH_BYTES = 64L * 1024 * 1024;

    @Test
    void swappingOnnxModelsAThousandTimesDoesNotGrowNativeMemory(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("child.out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), SwapLoop.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the child JVM finished in time").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as("exit code of the swap loop; its output:%n%s", text).isZero();
        String last = text.lines().filter(l -> l.startsWith("resident")).reduce((a, b) -> b).orElseThrow();
        System.out.println(last);
        long growth = Long.parseLong(last.replaceAll(".*growth ", "").trim());
        assertThat(growth).as(last).isLessThan(MAX_GROWTH_BYTES);
    }

    /** The swap loop, run in its own JVM; prints its measurements. */
    public static final class SwapLoop {
        public static void main(String[] args) throws Exception {
            ModelFileCodec codec = new ModelFileCodec();
            byte[][] files = {modelFile(codec, 1, 1e-4), modelFile(codec, 2, -1e-4)};
            float[] rows = new float[ROWS * FEATURES];
            Arrays.fill(rows, 1f);
            double[] scores = new double[ROWS];
            OnnxModel current = null;
            long settled = 0;
            for (int swap = 1; swap <= WARM_UP_SWAPS + MEASURED_SWAPS; swap++) {
                OnnxModel next = (OnnxModel) codec.decode("model-" + swap + ".json", files[swap % 2]).model();
                next.score(rows, ROWS, scores);
                if (current != null) {
                    current.close();
                }
                current = next;
                if (swap == WARM_UP_SWAPS) {
                    settled = resident();
                }
            }
            current.close();
            long end = resident();
            System.out.printf("resident after %d swaps %d, after %d more %d, growth %d%n",
                    WARM_UP_SWAPS, settled, MEASURED_SWAPS, end, end - settled);
            if (OnnxModel.openSessions() != 0) {
                throw new IllegalStateException(OnnxModel.openSessions() + " sessions still open");
            }
        }

        private static byte[] modelFile(ModelFileCodec codec, long version, double weight) throws Exception {
            double[] weights = new double[FEATURES];
            Arrays.fill(weights, weight);
            try (OnnxModel model = new OnnxModel(LogisticOnnxExport.export(new LogisticModel(weights, 0, 0.5, null)),
                    0.5, null, null)) {
                return codec.encode(ModelFile.create(version, Instant.now(), model));
            }
        }

        /** Resident set size after a full collection, from /proc (Linux). */
        private static long resident() throws IOException {
            System.gc();
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : status) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            throw new IOException("no VmRSS in /proc/self/status");
        }
    }
}
