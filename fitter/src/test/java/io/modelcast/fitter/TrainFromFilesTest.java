package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * {@code fitter train --from-files}: the job's example files (its {@code --examples-dir}) train a
 * model, files outside the window and in-progress files are left alone, and {@code --every} goes
 * round after round.
 */
class TrainFromFilesTest {

    @TempDir Path models;
    @TempDir Path examples;

    @Test
    void finishedFilesOfTheWindowTrainTheModel() throws Exception {
        Path hour = Files.createDirectories(examples.resolve("2026-12-06--15"));
        Files.writeString(hour.resolve("examples-0-0.jsonl"), lines("fraud", 300, false, 1) + "not an example\n");
        Files.writeString(hour.resolve("examples-1-0.jsonl"), lines("default", 5, false, 2));
        Files.writeString(hour.resolve(".examples-0-1.jsonl.inprogress.0a1b"), lines("fraud", 50, true, 3));
        Path old = Files.writeString(hour.resolve("examples-0-9.jsonl"), lines("fraud", 400, true, 4));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));

        Run run = fitter("train", "--models", models.toString(), "--name", "fraud", "--from-files", examples.toString(),
                "--window", "1h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("examples: 300 of model fraud from " + examples)
                .contains("skipped {another model's=5, not an example=1}").contains("published model-1.json");
        ModelFile published = new ModelFileCodec().read(models.resolve("fraud").resolve("model-1.json"));
        assertThat(published.type()).isEqualTo("logistic");
        assertThat(published.profile()).as("the training data's profile, for drift").hasValueSatisfying(profile -> {
            assertThat(profile.featureCount()).isEqualTo(2);
            assertThat(Arrays.stream(profile.scoreShares()).sum()).isCloseTo(1, within(1e-9));
        });
    }

    @Test
    void everyRoundTrainsAgainAndARoundThatCannotPublishDoesNotEndTheLoop() throws Exception {
        Files.writeString(examples.resolve("examples-0-0.jsonl"), lines("default", 400, false, 5));
        fitter("train", "--models", models.toString(), "--from-files", examples.toString());

        Run run = fitter("train", "--models", models.toString(), "--from-files", examples.toString(), "--every", "100ms",
                "--times", "2", "--role", "challenger", "--rollout", "canary:10");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("round 1 (every 100ms):").contains("round 2 (every 100ms):").contains("published model-2.json");
        assertThat(run.err()).as("round 2: version 2 still challenges").contains("fitter train: round 2: ");
        assertThat(models.resolve("model-3.json")).doesNotExist();
    }

    @Test
    void everyNeedsExamplesAndTimesNeedsEvery() {
        Run csv = fitter("train", "--models", models.toString(), "--data", "x.csv", "--every", "1m");
        assertThat(csv.exitCode()).isEqualTo(2);
        assertThat(csv.err()).contains("--every needs a duration above 0s, and examples of the job");
        Run times = fitter("train", "--models", models.toString(), "--from-files", examples.toString(), "--times", "3");
        assertThat(times.exitCode()).isEqualTo(2);
        assertThat(times.err()).contains("--times N (at least 1) goes with --every");
    }

    /** {@code count} examples whose label follows the first feature (or the opposite, for {@code inverted}). */
    private static String lines(String model, int count, boolean inverted, long seed) {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            float a = (float) (random.nextGaussian() * 2);
            float b = (float) random.nextGaussian();
            int label = (a > 0) != inverted ? 1 : 0;
            lines.append(String.format(Locale.ROOT, "{\"id\":\"r-%d\",\"model\":\"%s\",\"modelVersion\":1,\"features\":[%s,%s],"
                    + "\"label\":%d,\"score\":0.5}%n", i, model, a, b, label));
        }
        return lines.toString();
    }
}
