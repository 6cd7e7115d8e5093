package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code fitter rollout --watch}: follows a report file as the job writes it, and publishes what the policy says. */
class RolloutWatchTest {

    @TempDir Path models;
    @TempDir Path logs;

    private final ModelFileCodec codec = new ModelFileCodec();

    @Test
    void aReportMeetingThePolicyPromotesTheChallengerOnce() throws Exception {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "canary:20", "--promote-after", "1000");
        Path out = Files.writeString(logs.resolve("taskmanager.out"), "shadow> {\"model\":\"default\"}\n"
                + report(2, 400, 0.0, false) + "\n");

        Run early = fitter("rollout", "--models", models.toString(), "--watch", "--reports", out.toString(), "--timeout", "1s");
        assertThat(early.exitCode()).as("400 of 1000 records decide nothing").isEqualTo(1);
        assertThat(models.resolve("model-3.json")).doesNotExist();

        // A watcher follows the file as it grows: the next report arrives while it watches.
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> fitter("rollout", "--models", models.toString(),
                "--watch", "--reports", out.toString(), "--once", "--timeout", "30s"));
        Files.writeString(out, report(2, 1200, 0.001, false) + "\n", StandardOpenOption.APPEND);

        Run run = watching.get(30, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("promoted challenger version 2 of default (policy met after 1000 records: 1200 records")
                .contains("published model-3.json");
        ModelFile promoted = codec.read(models.resolve("model-3.json"));
        assertThat(promoted.promotedFrom()).hasValue(2);
        assertThat(promoted.isChallenger()).isFalse();
    }

    @Test
    void aSuspendedChallengerIsRetiredAndAReportOfAnotherChallengerIsIgnored() throws Exception {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow");
        Path out = Files.writeString(logs.resolve("reports.jsonl"), report(9, 5000, 1.0, true) + "\n"
                + report(2, 150, 0.6, true) + "\n");

        Run run = fitter("rollout", "--models", models.toString(), "--watch", "--reports", out.toString(), "--once",
                "--timeout", "20s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("retired challenger version 2 of default (a scoring subtask suspended it");
        assertThat(codec.read(models.resolve("model-3.json")).promotedFrom()).hasValue(1);
    }

    @Test
    void labelsInTheSameFileRetireAChallengerWhoseAucIsBelowItsBound() throws Exception {
        fitter("fit", "--models", models.toString());
        Run shadow = fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow", "--min-auc", "0.8");
        assertThat(shadow.exitCode()).as("a shadow's outcomes are not labelled").isEqualTo(2);
        assertThat(shadow.err()).contains("--min-auc and --max-logloss judge a canary's labelled results");
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "canary:50", "--promote-after", "1000",
                "--min-auc", "0.8");
        Path out = Files.writeString(logs.resolve("taskmanager.out"), report(2, 5000, 0.0, false) + "\n"
                + evaluation(2, 40, 0.6) + "\n" + evaluation(1, 900, 0.95) + "\n" + evaluation(2, 50, 0.6) + "\n");

        Run early = fitter("rollout", "--models", models.toString(), "--watch", "--reports", out.toString(), "--timeout", "1s");
        assertThat(early.exitCode()).as("5000 records, but only 90 labelled: too few to judge").isEqualTo(1);

        // The champion's windows come between the canary's: its evidence adds up all the same.
        Files.writeString(out, evaluation(1, 900, 0.95) + "\n" + evaluation(2, 200, 0.62) + "\n", StandardOpenOption.APPEND);
        Run run = fitter("rollout", "--models", models.toString(), "--watch", "--reports", out.toString(), "--once",
                "--timeout", "20s");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("retired challenger version 2 of default (its AUC on labelled records is below the bound")
                .contains("290 labelled, AUC 0.6138");
        assertThat(codec.read(models.resolve("model-3.json")).promotedFrom()).hasValue(1);
    }

    @Test
    void nothingDecidedWithinTheTimeoutIsAFailure() throws Exception {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow");
        Path out = Files.writeString(logs.resolve("reports.jsonl"), report(2, 10, 0, false) + "\n");

        Run run = fitter("rollout", "--models", models.toString(), "--watch", "--reports", out.toString(), "--timeout", "500ms");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no decision within 500ms");
        assertThat(models.resolve("model-3.json")).doesNotExist();
    }

    @Test
    void watchNeedsItsReportsAndTheOtherOptionsNeedWatch() {
        fitter("fit", "--models", models.toString());
        assertThat(fitter("rollout", "--models", models.toString(), "--watch").err()).contains("--watch needs --reports");
        assertThat(fitter("rollout", "--models", models.toString(), "--once").exitCode()).isEqualTo(2);
    }

    private static String evaluation(long version, long labelled, double auc) {
        return "eval> {\"model\":\"default\",\"modelVersion\":" + version + ",\"role\":\"canary\",\"windowStart\":0,"
                + "\"windowEnd\":60000,\"labelled\":" + labelled + ",\"accuracy\":0.8,\"logLoss\":0.4,\"auc\":" + auc + "}";
    }

    private static String report(long challenger, long records, double errorRate, boolean suspended) {
        return "report> {\"model\":\"default\",\"champion\":1,\"challenger\":" + challenger + ",\"subtasks\":4,\"suspended\":"
                + suspended + ",\"challengerRecords\":" + records + ",\"challengerErrorRate\":" + errorRate + ",\"scoreShift\":null}";
    }
}
