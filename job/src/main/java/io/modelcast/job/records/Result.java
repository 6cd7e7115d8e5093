package io.modelcast.job.records;

import io.modelcast.model.ModelName;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One input scored by a model: the input, the model's output, the version and age of the model
 * that produced it and the scoring subtask (0-based). A feature model's result has a {@link #score}
 * (the probability of label 1; its output is the label, as text); a fallback model's result says
 * which remote model failed and why ({@link #fallbackFrom}). Immutable, with its own serializer
 * ({@link ResultSerializer}).
 *
 * @param input the input as received
 * @param id the input's id (JSON input), or null
 * @param output what the model made of it: an integer model's text, a feature model's label
 * @param score a feature model's score; empty for an integer model's result
 * @param modelVersion the version of the model that produced the output
 * @param modelAgeMs how long before scoring that model was published, in milliseconds
 * @param subtask the scoring subtask
 * @param origin where the input was read in Kafka; null for socket input
 * @param fallbackFrom for a fallback model's result: the remote model that failed, and why
 * @param model the name of the model that produced it
 * @param role which side of a rollout produced it
 * @param features the features the model saw, as a JSON object of name to value, when they are shown
 *     ({@code --emit-features}); else null
 */
@TypeInfo(Result.Info.class)
public record Result(String input, String id, String output, OptionalDouble score, long modelVersion, long modelAgeMs,
        int subtask, RecordOrigin origin, Optional<RemoteFailure> fallbackFrom, String model, Role role, String features) {

    /** Which model of its name produced a result. */
    public enum Role {
        /** The name's only model: no challenger is being rolled out. */
        ONLY,
        /** The champion, while a challenger is rolled out beside it. */
        CHAMPION,
        /** A canary challenger, for the share of records it scores. */
        CANARY;

        /** As written in JSON results. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The remote model version a fallback result stands in for, and why that model could not score the input. */
    public record RemoteFailure(long version, String reason) {
        public RemoteFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Result {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(fallbackFrom, "fallbackFrom");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(role, "role");
    }

    /** An integer model's result: its output for the input. */
    public static Result output(String input, String output, String model, Role role, long modelVersion, long modelAgeMs,
            int subtask, RecordOrigin origin) {
        return new Result(input, null, output, OptionalDouble.empty(), modelVersion, modelAgeMs, subtask, origin,
                Optional.empty(), model, role, null);
    }

    /** As {@link #output(String, String, String, Role, long, long, int, RecordOrigin)}, by the default model alone. */
    public static Result output(String input, String output, long modelVersion, long modelAgeMs, int subtask,
            RecordOrigin origin) {
        return output(input, output, ModelName.DEFAULT, Role.ONLY, modelVersion, modelAgeMs, subtask, origin);
    }

    /** A feature model's result: the score and the label it gives the score. */
    public static Result prediction(String input, String id, double score, int label, String model, Role role,
            long modelVersion, long modelAgeMs, int subtask, RecordOrigin origin) {
        return new Result(input, id, Integer.toString(label), OptionalDouble.of(score), modelVersion, modelAgeMs,
                subtask, origin, Optional.empty(), model, role, null);
    }

    /** As {@link #prediction(String, String, double, int, String, Role, long, long, int, RecordOrigin)}, by the default model alone. */
    public static Result prediction(String input, String id, double score, int label, long modelVersion,
            long modelAgeMs, int subtask, RecordOrigin origin) {
        return prediction(input, id, score, label, ModelName.DEFAULT, Role.ONLY, modelVersion, modelAgeMs, subtask, origin);
    }

    /** This result as a fallback model's, standing in for remote model {@code version} that failed for {@code reason}. */
    public Result asFallbackFrom(long version, String reason) {
        return new Result(input, id, output, score, modelVersion, modelAgeMs, subtask, origin,
                Optional.of(new RemoteFailure(version, reason)), model, role, features);
    }

    /** This result showing the features the model saw, a JSON object of name to value. */
    public Result withFeatures(String json) {
        return new Result(input, id, output, score, modelVersion, modelAgeMs, subtask, origin, fallbackFrom, model, role, json);
    }

    /** Whether this is a feature model's result (with a score and a label). */
    public boolean isPrediction() {
        return score.isPresent();
    }

    /** Flink's type information for results: {@link ResultSerializer}, never reflection or Kryo. */
    public static final class Info extends TypeInfoFactory<Result> {
        @Override
        public TypeInformation<Result> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(Result.class, ResultSerializer.INSTANCE);
        }
    }
}
