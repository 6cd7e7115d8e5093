package io.modelcast.fitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

class FitterCliTest {

    @TempDir Path models;

    private final ModelFileCodec codec = new ModelFileCodec();

    /** One run of the command line, with what it printed. */
    record Run(int exitCode, String out, String err) {}

    static Run fitter(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Fitter.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void withoutASubcommandTheMessageListsEverySubcommand() {
        Run run = fitter();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing subcommand: one of")
                .contains(Fitter.commandLine().getSubcommands().keySet());
    }

    @Test
    void firstFitPublishesAClonedModelAndEachNextFitFlipsIt() throws Exception {
        Run first = fitter("fit", "--models", models.toString());
        Run second = fitter("fit", "--models", models.toString());

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).startsWith("published model-1.json: 1  custom  {\"isCloned\":true}");
        assertThat(second.out()).startsWith("published model-2.json: 2  custom  {\"isCloned\":false}");
        assertThat(codec.read(models.resolve("model-1.json")).model()).isEqualTo(new CustomModel(true));
        assertThat(codec.read(models.resolve("model-2.json")).model()).isEqualTo(new CustomModel(false));
        assertThat(Files.readSymbolicLink(models.resolve("model-current.json")))
                .isEqualTo(Paths.get("model-2.json"));
    }

    @Test
    void keepDeletesAllButTheNewestFiles() {
        for (int i = 0; i < 4; i++) {
            fitter("fit", "--models", models.toString());
        }

        Run run = fitter("fit", "--models", models.toString(), "--keep", "2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("deleted model-1.json", "deleted model-2.json", "deleted model-3.json");
        assertThat(models.resolve("model-4.json")).exists();
        assertThat(models.resolve("model-5.json")).exists();
        assertThat(models.resolve("model-3.json")).doesNotExist();
    }

    @Test
    void everyWithCountPublishesPeriodicallyAndStops() throws Exception {
        Run run = fitter("fit", "--models", models.toString(), "--every", "20ms", "--count", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("publishing every 20ms, 3 times");
        assertThat(codec.read(models.resolve("model-3.json")).model()).isEqualTo(new CustomModel(true));
        assertThat(models.resolve("model-4.json")).doesNotExist();
    }

    @Test
    void transformOncePrintsTheCurrentModelsOutputsForZeroToNineteen() {
        fitter("fit", "--models", models.toString());

        Run run = fitter("transform", "--models", models.toString(), "--once");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("model 1  custom  {\"isCloned\":true}")
                .contains("000000 010101 020202 030303 040404 050505 060606 070707 080808 090909"
                        + " 101010 111111 121212 131313 141414 151515 161616 171717 181818 191919");
    }

    @Test
    void transformOnceFailsWhenNothingIsPublished() {
        Run run = fitter("transform", "--models", models.toString(), "--once");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no model is published in");
    }

    @Test
    void listShowsVersionsNewestFirstAndReportsDamagedFilesOnStandardError() throws Exception {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString());
        Files.writeString(models.resolve("model-7.json"), "{\"formatVersion\": 1, \"ty");

        Run run = fitter("list", "--models", models.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines())
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("2  custom  {\"isCloned\":false}  20"),
                        line -> assertThat(line).startsWith("1  custom  {\"isCloned\":true}  20"));
        assertThat(run.err()).contains("model-7.json is not valid JSON");
    }

    @Test
    void rollbackAndPromoteRepublishEarlierParametersAndListShowsTheLineage() {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString());

        Run rollback = fitter("rollback", "--models", models.toString());
        Run promote = fitter("promote", "--models", models.toString(), "2");
        Run list = fitter("list", "--models", models.toString());

        assertThat(rollback.exitCode()).isZero();
        assertThat(rollback.out()).startsWith("published model-3.json: 3  custom  {\"isCloned\":true}")
                .contains("(promoted from 1)");
        assertThat(promote.out()).startsWith("published model-4.json: 4  custom  {\"isCloned\":false}")
                .contains("(promoted from 2)");
        assertThat(list.out().lines()).satisfiesExactly(
                line -> assertThat(line).startsWith("4  custom").endsWith("(promoted from 2)"),
                line -> assertThat(line).startsWith("3  custom").endsWith("(promoted from 1)"),
                line -> assertThat(line).startsWith("2  custom").doesNotContain("promoted"),
                line -> assertThat(line).startsWith("1  custom").doesNotContain("promoted"));
    }

    @Test
    void promotingAMissingVersionFailsWithExitCodeOne() {
        Run run = fitter("promote", "--models", models.toString(), "9");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no model version 9 is published here");
    }

    @Test
    void helpShowsDefaults() {
        Run run = fitter("transform", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--interval=DURATION", "Default: 5s", "--once", "Exit codes:");
    }

    @Test
    void aMissingDirectoryFailsWithExitCodeOneAndItsName() {
        Path missing = models.resolve("absent");

        Run run = fitter("fit", "--models", missing.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("fitter fit: error: " + missing + ": models directory does not exist"
                        + " (create it first)" + System.lineSeparator());
    }

    @Test
    void anUnwritableDirectoryFailsWithExitCodeOne() {
        // Root may write anywhere it has a permission bit for; /sys refuses even root.
        Path readOnly = Paths.get("/sys/kernel");
        assumeTrue(Files.isDirectory(readOnly), "needs Linux sysfs");

        Run run = fitter("fit", "--models", readOnly.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("models directory /sys/kernel is not writable");
    }

    @Test
    void aBadDurationIsAUsageErrorWithAnExample() {
        Run run = fitter("fit", "--models", models.toString(), "--every", "10 seconds");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("invalid duration '10 seconds'")
                .contains("for example 500ms, 5s, 1m")
                .contains("Try 'fitter fit --help'");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(fitter("fit").exitCode()).isEqualTo(2);
        assertThat(fitter("fit", "--models", models.toString(), "--count", "2").exitCode()).isEqualTo(2);
        assertThat(fitter("fit", "--models", models.toString(), "--keep", "0").exitCode()).isEqualTo(2);
        assertThat(fitter("fit", "--models", models.toString(), "--every", "0s").exitCode()).isEqualTo(2);
        assertThat(fitter("fit", "--models", models.toString(), "--bogus").exitCode()).isEqualTo(2);
        assertThat(fitter().exitCode()).isEqualTo(2);
        assertThat(fitter("fit", "--models", models.toString(), "--every", "0s").err())
                .contains("--every must be longer than 0s");
    }
}
