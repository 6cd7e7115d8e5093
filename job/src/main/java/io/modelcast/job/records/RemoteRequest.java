package io.modelcast.job.records;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One request to a remote model, from the scoring operator to the async step that makes it: up to
 * {@code --batch-size} inputs of one batch, for the pointer in force when they arrived (so each
 * result names the version that produced it, even while versions switch). The async step posts
 * their instances together — TensorFlow Serving's {@code instances} array takes many — and gets one
 * prediction per input back, in order. What stands in for a failed call rides along, computed up
 * front, so a failed call never needs a model: the pointer's own fallback model's outcomes, or, for
 * a challenger's request ({@link Purpose}), the champion's. Immutable.
 *
 * @param model the name of the model the pointer is a version of
 * @param modelVersion the pointer's model-file version
 * @param pointer the pointer's {@code parameters} object, as compact JSON
 * @param kind what the inputs are, and so how an answer is read
 * @param modelAgeMs how long before scoring the pointer was published, in milliseconds
 * @param subtask the scoring subtask the inputs came through
 * @param inputs the inputs, in order; at least one
 * @param fallback what stands in for the pointer when the call fails, and its outcome for each input:
 *     the pointer's fallback model, if it has one; for a challenger's request, always the champion
 * @param purpose what the answers are for: the name's results, or a challenger's side of a rollout
 */
public record RemoteRequest(String model, long modelVersion, String pointer, Kind kind, long modelAgeMs, int subtask,
        List<RemoteInput> inputs, Optional<Fallback> fallback, Purpose purpose) implements RemoteCallInFlight {

    /** What a remote model's answers are for. */
    public enum Purpose {
        /** The pointer serves its name: answers are its results, its own fallback model (if any) stands in. */
        SERVE,
        /** The pointer is a canary challenger: answers are results in role canary, the champion stands in. */
        CANARY,
        /** The pointer is a shadow challenger: answers go beside the champion's outcomes to the shadow output only. */
        SHADOW
    }

    /** What a request's inputs are. */
    public enum Kind {
        /** Integers: each prediction is the output, as text. */
        INTEGERS,
        /** Feature vectors: each prediction is a score, labelled by the pointer's threshold. */
        FEATURES
    }

    /**
     * One input of a request.
     *
     * @param text the input as received
     * @param id the input's id (JSON input), or null
     * @param origin where the input was read in Kafka; null for socket input
     * @param instance the JSON array of the one instance to send: {@code [7]} or {@code [[0.5,1.0]]}
     */
    public record RemoteInput(String text, String id, RecordOrigin origin, String instance) {
        public RemoteInput {
            Objects.requireNonNull(text, "text");
            if (instance.length() < 2 || instance.charAt(0) != '[' || instance.charAt(instance.length() - 1) != ']') {
                throw new IllegalArgumentException("an instance is a JSON array: " + instance);
            }
        }
    }

    /**
     * The local model that stands in for a pointer — its fallback model, or the champion of a
     * challenger — its version, how long before scoring it was published, and what it made of each
     * input, in order.
     */
    public record Fallback(long version, long ageMs, List<LocalOutcome> outcomes) {
        public Fallback {
            outcomes = List.copyOf(outcomes);
        }
    }

    /** What a local model made of one input. */
    public sealed interface LocalOutcome {
        /** Its output (the label, for a feature model, with the score). */
        record Output(String output, OptionalDouble score) implements LocalOutcome {}

        /** Why it could not score the input. */
        record Failure(String reason) implements LocalOutcome {}
    }

    public RemoteRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(purpose, "purpose");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one input");
        }
        if (fallback.isPresent() && fallback.get().outcomes().size() != inputs.size()) {
            throw new IllegalArgumentException("the fallback has " + fallback.get().outcomes().size()
                    + " outcomes for " + inputs.size() + " inputs");
        }
        if (purpose != Purpose.SERVE && fallback.isEmpty()) {
            throw new IllegalArgumentException("a challenger's request carries its champion's outcomes");
        }
    }

    @Override
    public RemoteRequest request() {
        return this;
    }

    /** The request's {@code instances} array: each input's instance, in order. */
    public String instances() {
        StringBuilder json = new StringBuilder(inputs.size() * 8).append('[');
        for (int i = 0; i < inputs.size(); i++) {
            String one = inputs.get(i).instance();
            if (i > 0) {
                json.append(',');
            }
            // Each instance is a one-element array: "[7]" or "[[0.5,1.0]]".
            json.append(one, 1, one.length() - 1);
        }
        return json.append(']').toString();
    }

    @Override
    public String toString() {
        return "RemoteRequest{model " + model + " version " + modelVersion + ", " + inputs.size() + " inputs"
                + (purpose == Purpose.SERVE ? "" : ", " + purpose.name().toLowerCase(java.util.Locale.ROOT))
                + fallback.map(f -> ", stand-in version " + f.version()).orElse("") + "}";
    }
}
