package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code gen-data --events} and {@code train --events --feature-spec}: features computed from raw
 * events with the job's code, the spec published with the model, and a stateful spec beating the
 * amount alone on a label that depends on each user's history.
 */
class TrainOnEventsTest {

    @TempDir Path dir;

    @Test
    void statefulFeaturesBeatTheAmountAloneAndTheSpecIsPublishedWithTheModel() throws Exception {
        Path events = dir.resolve("events.jsonl");
        assertOk(fitter("gen-data", "--events", "--rows", "20000", "--seed", "7", "--output", events.toString()));
        Path stateful = Files.writeString(dir.resolve("stateful.json"), """
                {"features": [
                  {"name": "amount", "op": "value", "of": "amount"},
                  {"name": "mean10", "op": "mean", "of": "amount", "by": "user", "last": 10},
                  {"name": "max10", "op": "max", "of": "amount", "by": "user", "last": 10},
                  {"name": "count_1m", "op": "count", "by": "user", "window": "1m"},
                  {"name": "since_last", "op": "seconds_since_last", "by": "user", "missing": -1}]}""");
        Path stateless = Files.writeString(dir.resolve("stateless.json"),
                "{\"features\": [{\"name\": \"amount\", \"op\": \"value\", \"of\": \"amount\"}]}");
        Path withHistory = Files.createDirectories(dir.resolve("with-history"));
        Path amountOnly = Files.createDirectories(dir.resolve("amount-only"));

        Run trained = fitter("train", "--events", events.toString(), "--feature-spec", stateful.toString(),
                "--models", withHistory.toString());
        assertOk(trained);
        assertOk(fitter("train", "--events", events.toString(), "--feature-spec", stateless.toString(),
                "--models", amountOnly.toString()));

        ModelFile history = new ModelFileCodec().read(withHistory.resolve("model-1.json"));
        ModelFile amount = new ModelFileCodec().read(amountOnly.resolve("model-1.json"));
        assertThat(history.featureSpec()).hasValueSatisfying(spec ->
                assertThat(spec.names()).containsExactly("amount", "mean10", "max10", "count_1m", "since_last"));
        assertThat(trained.out()).contains("events: 20000 rows of [amount, mean10, max10, count_1m, since_last]");
        double withAuc = ((LogisticModel) history.model()).evaluation().auc();
        double withoutAuc = ((LogisticModel) amount.model()).evaluation().auc();
        System.out.printf("holdout AUC with the user's history %.4f, with the amount alone %.4f%n", withAuc, withoutAuc);
        assertThat(withAuc).as("AUC with stateful features vs the amount alone (%.4f)", withoutAuc).isGreaterThan(withoutAuc + 0.05);
    }

    @Test
    void eventsAndTheirSpecGoTogetherAndABadSpecSaysWhy() throws Exception {
        Path events = Files.writeString(dir.resolve("e.jsonl"), "{\"ts\": 1, \"user\": \"u\", \"amount\": 1, \"label\": 1}\n");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"features\": [{\"name\": \"x\", \"op\": \"median\"}]}");

        assertThat(fitter("train", "--events", events.toString(), "--models", dir.toString()).err())
                .contains("--events and --feature-spec go together");
        Run run = fitter("train", "--events", events.toString(), "--feature-spec", bad.toString(), "--models", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("bad.json").contains("unknown op 'median'");
        assertThat(fitter("gen-data", "--events", "--features", "3", "--rows", "5").err()).contains("not --features");
    }

    @Test
    void featuresPrintsWhatTrainingComputesForEachLineAndWhyALineGivesNone() throws Exception {
        Path events = Files.writeString(dir.resolve("e.jsonl"), String.join("\n",
                "{\"id\": \"a\", \"ts\": 3000, \"user\": \"u\", \"amount\": 4}",
                "{\"id\": \"b\", \"ts\": 1000, \"user\": \"u\", \"amount\": 2}",
                "",
                "{\"id\": \"c\", \"user\": \"u\", \"amount\": 2}",
                "{\"id\": \"d\", \"ts\": 4000, \"amount\": 2}") + "\n");
        Path spec = Files.writeString(dir.resolve("spec.json"), """
                {"features": [
                  {"name": "mean2", "op": "mean", "of": "amount", "by": "user", "last": 2},
                  {"name": "since_last", "op": "seconds_since_last", "by": "user", "missing": -1}]}""");

        Run run = fitter("features", "--events", events.toString(), "--feature-spec", spec.toString());

        assertOk(run);
        // In event-time order: b (1 s) comes before a (3 s), whatever the file's order.
        assertThat(run.out().lines().toList()).containsExactly(
                "{\"line\":1,\"id\":\"a\",\"features\":{\"mean2\":3.0,\"since_last\":2.0}}",
                "{\"line\":2,\"id\":\"b\",\"features\":{\"mean2\":2.0,\"since_last\":-1.0}}",
                "{\"line\":4,\"problem\":\"the event has no time field 'ts'\"}",
                "{\"line\":5,\"id\":\"d\",\"problem\":\"the features are by 'user', which the event does not have\"}");
    }

    private static void assertOk(Run run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
