package io.modelcast.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcast.model.Model;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A model that lives in a model server: a pointer to a TensorFlow-Serving-compatible REST predict
 * API ({@code POST <endpoint>/v1/models/<name>[/versions/<v>]:predict}, {@code {"instances": [...]}}
 * in, {@code {"predictions": [...]}} out), with how long to wait, how often to retry and what to do
 * when the server fails. Publishing a new pointer — to another serving version, say — switches the
 * job the same way a local model does.
 *
 * <p>The pointer itself scores nothing; {@link RemotePredictClient} makes the calls. What a
 * prediction means depends on the input: for integers it is the output text (a JSON string, or a
 * number written as text); for feature vectors it is a score, the probability of label 1 (a number,
 * {@code [p]}, or {@code [p0, p1]} of a two-class softmax), labelled 1 at or above {@link #threshold}.
 *
 * @param endpoint the server's base address, {@code http(s)://host:port} (with an optional path prefix)
 * @param name the served model's name
 * @param servingVersion the served model's version, or empty for whatever the server serves by default
 * @param timeout how long one attempt may take, connecting included
 * @param retries how many times a failed attempt (timeout, connection failure, 5xx) is retried
 * @param onFailure what the job does with a record whose every attempt failed
 * @param fallbackVersion with {@link OnFailure#FALLBACK}: the local model version that scores such records
 * @param threshold the score at or above which a feature vector's label is 1
 */
public record RemoteModel(
        URI endpoint,
        String name,
        OptionalLong servingVersion,
        Duration timeout,
        int retries,
        OnFailure onFailure,
        OptionalLong fallbackVersion,
        double threshold) implements Model {

    /** The type name in model files. */
    public static final String TYPE = "remote";

    /** What to do with a record the server could not score. */
    public enum OnFailure {
        /** Send it to the rejected-records output, with the reason. */
        FAIL,
        /** Score it with the local model version {@link #fallbackVersion} and say so in the result. */
        FALLBACK
    }

    public RemoteModel {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(servingVersion, "servingVersion");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(fallbackVersion, "fallbackVersion");
        if (onFailure == OnFailure.FALLBACK && fallbackVersion.isEmpty()) {
            throw new IllegalArgumentException("onFailure fallback needs a fallbackVersion");
        }
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /** The address records are posted to: {@code <endpoint>/v1/models/<name>[/versions/<v>]:predict}. */
    public URI predictUri() {
        String base = endpoint.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/v1/models/" + name
                + (servingVersion.isPresent() ? "/versions/" + servingVersion.getAsLong() : "") + ":predict");
    }

    /**
     * The score in a prediction for a feature vector.
     *
     * @throws IllegalArgumentException if the prediction is not a finite number, {@code [p]} or {@code [p0, p1]}
     */
    public static double score(JsonNode prediction) {
        JsonNode value = prediction;
        if (prediction.isArray() && (prediction.size() == 1 || prediction.size() == 2)) {
            value = prediction.get(prediction.size() - 1);
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new IllegalArgumentException("prediction " + abbreviate(prediction)
                    + " is not a score (a number, [p] or [p0, p1])");
        }
        return value.asDouble();
    }

    /** The longest output text accepted from a server: a result is one record on Kafka and one row in a database. */
    public static final int MAX_OUTPUT_CHARS = 65_536;

    /**
     * The output text in a prediction for an integer.
     *
     * @throws IllegalArgumentException if the prediction is neither a string nor a number, holds a
     *     NUL character (which PostgreSQL text cannot store) or is over {@value #MAX_OUTPUT_CHARS} characters
     */
    public static String text(JsonNode prediction) {
        if (!prediction.isTextual() && !prediction.isNumber()) {
            throw new IllegalArgumentException("prediction " + abbreviate(prediction) + " is not a string or a number");
        }
        String text = prediction.asText();
        if (text.length() > MAX_OUTPUT_CHARS) {
            throw new IllegalArgumentException("prediction of " + text.length() + " characters is longer than " + MAX_OUTPUT_CHARS);
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("prediction " + abbreviate(prediction) + " holds a NUL character");
        }
        return text;
    }

    /** The label of a score. */
    public int label(double score) {
        return score >= threshold ? 1 : 0;
    }

    static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
