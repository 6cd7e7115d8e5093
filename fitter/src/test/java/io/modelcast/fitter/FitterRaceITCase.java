package io.modelcast.fitter;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelDirectory.PublishedFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Two fitter processes publishing into one directory at the same time. */
class FitterRaceITCase {

    private static final int PUBLISHES_PER_PROCESS = 150;

    @TempDir Path models;

    @Test
    void twoRacingProcessesNeverPublishTheSameVersionAndEachFitSeesTheLatest() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(
                    new ProcessBuilder(
                                    javaExecutable(),
                                    "-cp",
                                    testClassPath(),
                                    Fitter.class.getName(),
                                    "fit",
                                    "--models",
                                    models.toString(),
                                    "--every",
                                    "1ms",
                                    "--count",
                                    Integer.toString(PUBLISHES_PER_PROCESS))
                            .redirectErrorStream(true)
                            .redirectOutput(models.resolve(".fitter-" + i + ".log").toFile())
                            .start());
        }
        try {
            for (Process process : processes) {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("fitter finished").isTrue();
                assertThat(process.exitValue()).isZero();
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }

        List<PublishedFile> published = ModelDirectory.open(models).list();
        assertThat(published)
                .extracting(PublishedFile::version)
                .hasSize(2 * PUBLISHES_PER_PROCESS)
                .doesNotHaveDuplicates()
                .allMatch(v -> v >= 1 && v <= 2 * PUBLISHES_PER_PROCESS);
        // Reading the newest and publishing the next happen under one lock, so the flips never
        // interleave: odd versions are cloned, even ones are not.
        ModelFileCodec codec = new ModelFileCodec();
        for (PublishedFile file : published) {
            ModelFile model = codec.read(file.path());
            assertThat(model.model()).isEqualTo(new CustomModel(model.version() % 2 == 1));
        }
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
