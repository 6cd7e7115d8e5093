package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.rollout.Rollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@code --name}, {@code --role challenger --rollout …} and {@code fitter rollout}, as a user types them. */
class NamesAndRolloutsCliTest {

    @TempDir Path models;

    private final ModelFileCodec codec = new ModelFileCodec();

    @Test
    void eachNameHasItsOwnVersionsAndTheDefaultStaysFlat() throws Exception {
        assertThat(fitter("fit", "--models", models.toString()).exitCode()).isZero();
        Run named = fitter("fit", "--models", models.toString(), "--name", "fraud");
        assertThat(fitter("fit", "--models", models.toString(), "--name", "fraud").exitCode()).isZero();

        assertThat(named.out()).startsWith("published model-1.json");
        assertThat(models.resolve("model-1.json")).exists();
        assertThat(models.resolve("fraud/model-2.json")).exists();
        assertThat(fitter("list", "--models", models.toString(), "--name", "fraud").out()).startsWith("2  custom");
    }

    @Test
    void aNameThatIsNotOneIsAUsageError() {
        Run run = fitter("fit", "--models", models.toString(), "--name", "Fraud Model");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not a model name");
        assertThat(models.toFile().list()).isEmpty();
    }

    @Test
    void listingANameNeverPublishedSaysSoAndCreatesNothing() {
        Run run = fitter("list", "--models", models.toString(), "--name", "nobody");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no model named nobody");
        assertThat(models.resolve("nobody")).doesNotExist();
    }

    @Test
    void aCanaryChallengerCarriesItsPolicyAndIsPromotedByHand() throws Exception {
        fitter("fit", "--models", models.toString());
        Run canary = fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "canary:10",
                "--promote-after", "500", "--max-error-rate", "0.05", "--max-score-shift", "0.3");

        assertThat(canary.exitCode()).as(canary.err()).isZero();
        assertThat(canary.out()).contains("(challenger, canary:10, of version 1)");
        ModelFile file = codec.read(models.resolve("model-2.json"));
        assertThat(file.rollout()).contains(Rollout.canary(10, 1, new Rollout.Policy(500, 0.05, 0.3)));

        assertThat(fitter("rollout", "--models", models.toString()).out())
                .contains("champion:   1  custom").contains("challenger: 2  custom");
        Run promoted = fitter("rollout", "--models", models.toString(), "--promote");
        assertThat(promoted.out()).startsWith("promoted challenger version 2: published model-3.json")
                .contains("(promoted from 2)");
        assertThat(fitter("rollout", "--models", models.toString()).out()).contains("challenger: none");
    }

    @Test
    void retiringRepublishesTheChampion() throws Exception {
        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow");
        Run retired = fitter("rollout", "--models", models.toString(), "--retire");
        assertThat(retired.out()).startsWith("retired challenger version 2: published model-3.json").contains("(promoted from 1)");
        assertThat(codec.read(models.resolve("model-3.json")).isChallenger()).isFalse();
    }

    @Test
    void badRolloutOptionsAreUsageErrorsAndPublishNothing() {
        fitter("fit", "--models", models.toString());
        assertUsageError("--role challenger needs --rollout", "--role", "challenger");
        assertUsageError("add --role challenger", "--rollout", "shadow");
        assertUsageError("above 0 and at most 100", "--role", "challenger", "--rollout", "canary:140");
        assertUsageError("--promote-after must be at least 1", "--role", "challenger", "--rollout", "shadow", "--promote-after", "0");
        assertUsageError("--max-error-rate must be between 0 and 1", "--role", "challenger", "--rollout", "shadow",
                "--max-error-rate", "2");
        assertThat(models.resolve("model-2.json")).doesNotExist();
    }

    @Test
    void aChallengerWithoutAChampionOrBesideAnotherIsRefused() {
        Run lonely = fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow");
        assertThat(lonely.exitCode()).isNotZero();
        assertThat(lonely.err()).contains("no champion is published");

        fitter("fit", "--models", models.toString());
        fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "shadow");
        Run second = fitter("fit", "--models", models.toString(), "--role", "challenger", "--rollout", "canary:5");
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.err()).contains("already challenging");
    }

    private void assertUsageError(String message, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "fit";
        args[1] = "--models";
        args[2] = models.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Run run = fitter(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
