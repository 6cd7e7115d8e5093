package io.modelcast.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the REST predict API a {@link RemoteModel} points to, asynchronously, with its timeout and
 * retries. The contract is TensorFlow Serving's: {@code POST …:predict} with {@code {"instances":
 * [...]}}, answered by {@code 200} and {@code {"predictions": [...]}}, one prediction per instance,
 * in order; errors as non-2xx statuses, with {@code {"error": "..."}} in the body.
 *
 * <p>Each attempt is bounded by the model's timeout, connecting included. Timeouts, connection
 * failures, {@code 429} and {@code 5xx} answers are retried up to the model's retries, after 25 ms,
 * 50 ms, 100 ms … (at most 1 s); other {@code 4xx} answers and malformed responses (not JSON, no
 * {@code predictions} array, the wrong number of predictions, more than {@value #MAX_RESPONSE_BYTES}
 * bytes, checked once read) fail at once: asking again would get the same answer. The returned future never completes
 * exceptionally: a failure is an {@link Failed} answer with the reason.
 *
 * <p>Thread-safe; one client per process or task is enough. It keeps HTTP/1.1 connections alive and
 * opens as many as there are requests in flight.
 */
public final class RemotePredictClient implements AutoCloseable {

    /**
     * A larger answer is treated as malformed. It is read whole first: the bound keeps a broken
     * server's answers out of results, but a server that may send gigabytes must not be pointed to.
     */
    public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ExecutorService executor;
    private final HttpClient http;

    public RemotePredictClient() {
        int client = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "remote-predict-" + client + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** The outcome of a call: predictions, or why there are none. */
    public sealed interface Answer permits Predictions, Failed {
        /** How many attempts were made. */
        int attempts();
    }

    /** One prediction per instance, in order. */
    public record Predictions(List<JsonNode> predictions, int attempts) implements Answer {}

    /** Every attempt failed, or one failed in a way retrying cannot fix. */
    public record Failed(String reason, int attempts) implements Answer {}

    /**
     * Posts {@code instances} to the model's predict address.
     *
     * @param instances the JSON array of instances, for example {@code [7]} or {@code [[0.5,1.0]]}
     * @param count how many instances the array holds: the answer must hold as many predictions
     */
    public CompletableFuture<Answer> predict(RemoteModel model, String instances, int count) {
        HttpRequest request = HttpRequest.newBuilder(model.predictUri())
                .timeout(model.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":" + instances + "}", StandardCharsets.UTF_8))
                .build();
        return attempt(model, request, count, 1);
    }

    private CompletableFuture<Answer> attempt(RemoteModel model, HttpRequest request, int count, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                // The request timeout may not cover connecting on every JDK: bound the attempt as a whole.
                .orTimeout(model.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> outcome(model, response, error, count, attempt))
                .thenCompose(outcome -> {
                    if (outcome.answer() != null) {
                        return CompletableFuture.completedFuture(outcome.answer());
                    }
                    if (attempt > model.retries()) {
                        return CompletableFuture.completedFuture((Answer) new Failed(
                                outcome.retryableReason() + " (" + attempt + (attempt == 1 ? " attempt)" : " attempts)"), attempt));
                    }
                    long backoff = Math.min(1000, 25L << Math.min(attempt - 1, 10));
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, executor))
                            .thenCompose(ignored -> attempt(model, request, count, attempt + 1));
                });
    }

    /** Either a final answer, or the reason of a failure worth retrying. */
    private record Outcome(Answer answer, String retryableReason) {}

    private static Outcome outcome(RemoteModel model, HttpResponse<byte[]> response, Throwable error, int count, int attempt) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
                return new Outcome(null, "no answer from " + model.predictUri() + " within " + model.timeout().toMillis() + " ms");
            }
            if (cause instanceof IOException) {
                return new Outcome(null, "cannot reach " + model.predictUri() + ": " + cause);
            }
            return new Outcome(new Failed("calling " + model.predictUri() + " failed: " + cause, attempt), null);
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == 429 || status >= 500) {
            return new Outcome(null, model.predictUri() + " answered " + status + errorText(body));
        }
        if (status < 200 || status > 299) {
            return new Outcome(new Failed(model.predictUri() + " answered " + status + errorText(body), attempt), null);
        }
        try {
            return new Outcome(new Predictions(predictions(body, count), attempt), null);
        } catch (IllegalArgumentException e) {
            return new Outcome(new Failed("malformed answer from " + model.predictUri() + ": " + e.getMessage(), attempt), null);
        }
    }

    /** The predictions of a 2xx answer, checked against the contract. */
    static List<JsonNode> predictions(byte[] body, int count) {
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IllegalArgumentException(body.length + " bytes, more than " + MAX_RESPONSE_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + RemoteModel.abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
        JsonNode predictions = root == null ? null : root.get("predictions");
        if (predictions == null || !predictions.isArray()) {
            throw new IllegalArgumentException("no \"predictions\" array in " + RemoteModel.abbreviate(root));
        }
        if (predictions.size() != count) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + count
                    + (count == 1 ? " instance" : " instances"));
        }
        List<JsonNode> result = new ArrayList<>(count);
        predictions.forEach(result::add);
        return result;
    }

    private static String errorText(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                return ": " + RemoteModel.abbreviate(root.get("error").asText());
            }
        } catch (IOException | RuntimeException e) {
            // Not TensorFlow Serving's error form: show the start of the body instead.
        }
        return body.length == 0 ? "" : ": " + RemoteModel.abbreviate(new String(body, StandardCharsets.UTF_8));
    }

    /** The JSON array of one integer instance: {@code [7]}. */
    public static String integerInstance(long value) {
        return "[" + value + "]";
    }

    /** The JSON array of one feature-vector instance: {@code [[0.5,1.0]]}, from {@code k} values at {@code offset}. */
    public static String featureInstance(float[] features, int offset, int k) {
        StringBuilder json = new StringBuilder(2 + k * 8).append("[[");
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(features[offset + i]);
        }
        return json.append("]]").toString();
    }

    /** Stops the client's threads. Call it once no call is in flight: those still running may never complete. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** For the timeouts of callers that wait on a whole call: the longest every attempt and backoff can take. */
    public static Duration longestCall(RemoteModel model) {
        long millis = 0;
        for (int attempt = 1; attempt <= model.retries() + 1; attempt++) {
            millis += model.timeout().toMillis();
            if (attempt <= model.retries()) {
                millis += Math.min(1000, 25L << Math.min(attempt - 1, 10));
            }
        }
        return Duration.ofMillis(millis);
    }
}
