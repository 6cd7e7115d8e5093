package io.modelcast.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on 127.0.0.1 that implements TensorFlow Serving's REST predict contract, for
 * tests and benchmarks: TensorFlow Serving itself cannot be installed here (no Docker, no PyPI).
 *
 * <p>Contract, as TensorFlow Serving documents it: {@code POST /v1/models/<name>:predict} (the
 * highest version served) or {@code POST /v1/models/<name>/versions/<v>:predict}, body {@code
 * {"instances": [...]}}, answer {@code 200} with {@code {"predictions": [...]}}, one per instance, in
 * order; an unknown model or version answers {@code 404}, a body that is not such an object {@code
 * 400}, each with {@code {"error": "..."}}.
 *
 * <p>Served models are Java functions from one instance to its prediction. A {@link FaultRule} can
 * make chosen requests misbehave — delay, answer 5xx or 4xx, or send a malformed body — per attempt,
 * so tests can check timeouts, retries and every failure path.
 */
public final class StandInPredictServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/v1/models/([^/:]+)(?:/versions/(\\d+))?:predict");

    /** What a request gets instead of a normal answer. */
    public sealed interface Fault permits Delay, Status, Malformed {}

    /** Answer normally, but only after this many milliseconds. */
    public record Delay(long millis) implements Fault {}

    /** Answer with this status and {@code {"error": ...}}. */
    public record Status(int code) implements Fault {}

    /** Answer 200 with this body, which breaks the contract. */
    public record Malformed(String body) implements Fault {}

    /** Decides, per request, whether it misbehaves; null for a normal answer. */
    @FunctionalInterface
    public interface FaultRule {
        /**
         * @param instances the request's instances
         * @param attempt 1 for the first request with this exact body, 2 for the second, …
         */
        Fault decide(JsonNode instances, int attempt);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService delays;
    private final Map<String, NavigableMap<Long, Function<JsonNode, JsonNode>>> models = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptsByBody = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger maxInstances = new AtomicInteger();
    private volatile FaultRule faults = (instances, attempt) -> null;

    static {
        // Without it the JDK's server waits for the client's delayed ACK before each answer's body
        // (Nagle's algorithm): every call would take 40 ms on loopback. Read when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Starts a server on a free port of 127.0.0.1 with {@code threads} request threads. */
    public static StandInPredictServer start(int threads) throws IOException {
        return new StandInPredictServer(threads);
    }

    private StandInPredictServer(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        AtomicInteger count = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "stand-in-predict-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        delays = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stand-in-predict-delays");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/v1/models/", this::handle);
        server.start();
    }

    /** The base address to write as a remote model's endpoint: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code predictor} as version {@code version} of model {@code name}. */
    public StandInPredictServer serve(String name, long version, Function<JsonNode, JsonNode> predictor) {
        models.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>()).put(version, predictor);
        return this;
    }

    /** Makes requests misbehave as {@code rule} decides, from now on. */
    public void faults(FaultRule rule) {
        attemptsByBody.clear();
        faults = rule;
    }

    /** How many predict requests arrived. */
    public long requests() {
        return requests.get();
    }

    /** The most instances one request held. */
    public int maxInstancesPerRequest() {
        return maxInstances.get();
    }

    /** The most requests that were being handled at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        boolean answered = true;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!exchange.getRequestMethod().equals("POST")) {
                error(exchange, 405, "only POST is supported");
                return;
            }
            if (!path.matches()) {
                error(exchange, 404, "no such path: " + exchange.getRequestURI().getPath());
                return;
            }
            NavigableMap<Long, Function<JsonNode, JsonNode>> versions = models.get(path.group(1));
            Function<JsonNode, JsonNode> predictor = versions == null || versions.isEmpty() ? null
                    : path.group(2) == null ? versions.lastEntry().getValue() : versions.get(Long.parseLong(path.group(2)));
            if (predictor == null) {
                error(exchange, 404, "Servable not found for request: " + path.group(1)
                        + (path.group(2) == null ? "" : " version " + path.group(2)));
                return;
            }
            JsonNode instances;
            try {
                JsonNode root = JSON.readTree(body);
                instances = root == null ? null : root.get("instances");
            } catch (IOException e) {
                instances = null;
            }
            if (instances == null || !instances.isArray()) {
                error(exchange, 400, "the body must be a JSON object with an \"instances\" array");
                return;
            }
            maxInstances.accumulateAndGet(instances.size(), Math::max);
            int attempt = attemptsByBody.computeIfAbsent(new String(body, StandardCharsets.UTF_8), b -> new AtomicInteger())
                    .incrementAndGet();
            Fault fault = faults.decide(instances, attempt);
            if (fault instanceof Delay delay) {
                // Answered later from another thread: a slow request does not hold a request thread,
                // so it slows down no other request.
                JsonNode delayed = instances;
                answered = false;
                delays.schedule(() -> {
                    try {
                        predict(exchange, predictor, delayed);
                    } catch (IOException e) {
                        // The client went away (it timed out): nothing to answer.
                    } finally {
                        exchange.close();
                        inFlight.decrementAndGet();
                    }
                }, delay.millis(), TimeUnit.MILLISECONDS);
            } else if (fault instanceof Status status) {
                error(exchange, status.code(), "injected failure");
            } else if (fault instanceof Malformed malformed) {
                send(exchange, 200, malformed.body().getBytes(StandardCharsets.UTF_8));
            } else {
                predict(exchange, predictor, instances);
            }
        } catch (IOException e) {
            // The client went away (it timed out): nothing to answer.
        } finally {
            if (answered) {
                exchange.close();
                inFlight.decrementAndGet();
            }
        }
    }

    private static void predict(HttpExchange exchange, Function<JsonNode, JsonNode> predictor, JsonNode instances)
            throws IOException {
        ArrayNode predictions = JsonNodeFactory.instance.arrayNode();
        try {
            for (JsonNode instance : instances) {
                predictions.add(predictor.apply(instance));
            }
        } catch (RuntimeException e) {
            error(exchange, 400, "cannot predict: " + e.getMessage());
            return;
        }
        send(exchange, 200, JSON.writeValueAsBytes(JsonNodeFactory.instance.objectNode().set("predictions", predictions)));
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(JsonNodeFactory.instance.objectNode().put("error", message)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        delays.shutdownNow();
    }
}
