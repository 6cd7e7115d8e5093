package io.modelcast.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.LogisticModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime first used from a thread with a small stack, as a Flink task thread may be: loading
 * it there used to kill the JVM with a bare SIGSEGV (exit 139). Run in a fresh JVM, since
 * ONNX Runtime loads once per process.
 */
class OnnxEnvironmentTest {

    @Test
    void onnxRuntimeCanBeFirstUsedFromAThreadWithASmallStack(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("child.out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FirstUseOnSmallStack.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the child JVM finished in time").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as("exit code; output:%n%s", text).isZero();
        assertThat(text).contains("scored 0.5");
    }

    /** Builds and runs an ONNX model on a thread with 256 KiB of stack; the first ONNX Runtime use in its JVM. */
    public static final class FirstUseOnSmallStack {
        public static void main(String[] args) throws Exception {
            Throwable[] failure = new Throwable[1];
            Thread small = new Thread(null, () -> {
                try (OnnxModel model = new OnnxModel(
                        LogisticOnnxExport.export(new LogisticModel(new double[] {0, 0}, 0, 0.5, null)), 0.5, null, null)) {
                    double[] scores = new double[1];
                    model.score(new float[] {1, 2}, 1, scores);
                    System.out.println("scored " + scores[0]);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "small-stack", 256 * 1024);
            small.start();
            small.join();
            if (failure[0] != null) {
                throw new IllegalStateException(failure[0]);
            }
        }
    }
}
