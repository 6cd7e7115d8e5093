package io.modelcast.job.events;

import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/** Feature specs, events and models with specs, for the tests of stateful features. */
public final class FeatureSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The amount and five stateful features of a user's purchases. */
    public static final FeatureSpec PURCHASES = spec("""
            {"features": [
              {"name": "amount", "op": "value", "of": "amount"},
              {"name": "mean10", "op": "mean", "of": "amount", "by": "user", "last": 10},
              {"name": "max10", "op": "max", "of": "amount", "by": "user", "last": 10},
              {"name": "count_1m", "op": "count", "by": "user", "window": "1m"},
              {"name": "sum_30s", "op": "sum", "of": "amount", "by": "user", "window": "30s"},
              {"name": "since_last", "op": "seconds_since_last", "by": "user", "missing": -1}
            ]}""");

    /** A smaller spec that keeps one of {@link #PURCHASES}' histories (mean10, renamed) and adds one. */
    public static final FeatureSpec SMALLER = spec("""
            {"features": [
              {"name": "recent_mean", "op": "mean", "of": "amount", "by": "user", "last": 10},
              {"name": "last_amount", "op": "last", "of": "amount", "by": "user"}
            ]}""");

    /** The same features keyed by another field. */
    public static final FeatureSpec BY_CARD = spec("""
            {"features": [
              {"name": "mean10", "op": "mean", "of": "amount", "by": "card", "last": 10}
            ]}""");

    private FeatureSpecs() {}

    public static FeatureSpec spec(String json) {
        try {
            return FeatureSpec.fromJson(JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A logistic model taking {@code spec}'s features, each weighted a little differently. */
    public static LogisticModel modelFor(FeatureSpec spec) {
        double[] weights = new double[spec.features().size()];
        Arrays.setAll(weights, i -> 0.01 * (i + 1));
        return new LogisticModel(weights, -1, 0.5, null);
    }

    /** A model update as the loader broadcasts it: a logistic model with {@code spec}. */
    public static ValidatedModel update(long version, FeatureSpec spec) {
        return io.modelcast.job.TestModels.update(version, 1_700_000_000_000L, modelFor(spec)).withFeatureSpec(Optional.of(spec));
    }

    /** Publishes a logistic model with {@code spec} into {@code directory}. */
    public static void publish(ModelDirectory directory, FeatureSpec spec) {
        try {
            directory.publish(newest -> modelFor(spec), new TrainingFacts(Optional.empty(), Optional.of(spec)), warning -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A purchase event: {@code {"id":"e<i>","ts":…,"user":"u<user>","amount":…}}. */
    public static String purchase(long i, long ts, int user, double amount) {
        return "{\"id\":\"e" + i + "\",\"ts\":" + ts + ",\"user\":\"u" + user + "\",\"amount\":" + amount + "}";
    }
}
