package io.modelcast.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's web server (Javalin): the page ({@code /}, from the jar, with uPlot from its webjar),
 * the JSON API under {@code /api} (docs/console-api.md) and the live feed ({@code /api/live},
 * server-sent events). A source that is not connected answers 404 saying how to connect it. Requests
 * it cannot answer get a 4xx with a reason as JSON; failures get 500 without details (they are
 * logged). Bodies over {@value #MAX_REQUEST_BYTES} bytes are refused. The only requests that change
 * anything are the {@link Actions}, off unless {@code --allow-actions}.
 */
final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);

    static final long MAX_REQUEST_BYTES = 16 * 1024;

    /** Every path of the API, as docs/console-openapi.json lists them (ConsoleServerTest holds them together). */
    static final List<String> API_PATHS = List.of("/api/status", "/api/models", "/api/jobs", "/api/live", "/api/evaluations",
            "/api/drift", "/api/reports", "/api/results", "/api/csrf", "/api/actions/{action}");

    private final Javalin app;
    private final List<AutoCloseable> parts;

    private ConsoleServer(Javalin app, List<AutoCloseable> parts) {
        this.app = app;
        this.parts = parts;
    }

    static ConsoleServer start(ConsoleSettings settings) {
        ObjectMapper json = new ObjectMapper();
        List<AutoCloseable> parts = new ArrayList<>();
        Optional<ModelSource> models = settings.models().map(ModelSource::directory)
                .or(() -> settings.topics().flatMap(t -> t.modelTopic().map(topic -> new ModelTopicSource(t.client(), topic))));
        models.ifPresent(parts::add);
        Optional<ModelRegistry> registry = models.map(source -> new ModelRegistry(json, source));
        Optional<FlinkJobs> jobs = settings.flinkRest().map(rest -> new FlinkJobs(json, rest));
        Optional<ResultsSearch> results = settings.results().map(source -> new ResultsSearch(json, source));
        Optional<Actions> actions = settings.allowActions()
                ? Optional.of(new Actions(json, settings.models().orElseThrow(() -> new IllegalArgumentException(
                        "--allow-actions acts on the models directory: give --models DIR")), settings.token().orElseThrow()))
                : Optional.empty();
        EvidenceLog evidence = new EvidenceLog(json);
        settings.lines().ifPresent(file -> parts.add(new LinesFollower(file, evidence)));
        settings.topics().filter(topics -> !topics.kinds().isEmpty())
                .ifPresent(topics -> parts.add(new TopicsFollower(topics.client(), topics.kinds(), evidence)));
        boolean followsEvidence = settings.lines().isPresent() || settings.topics().map(t -> !t.kinds().isEmpty()).orElse(false);
        LiveFeed live = new LiveFeed(() -> snapshot(json, registry, jobs)
                .set("evidence", followsEvidence ? evidence.counts() : null).toString());
        parts.add(live);
        Javalin app = Javalin.create(config -> {
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.staticFiles.add("/console", Location.CLASSPATH);
            config.staticFiles.enableWebjars();
            config.routes.before(ctx -> secure(ctx, actions.isPresent()));
            config.routes.get("/api/status", ctx -> json(ctx, status(json, settings)));
            config.routes.get("/api/models", ctx -> json(ctx, connected(registry, "no models: start bin/console with"
                    + " --models DIR, or --model-topic TOPIC").read()));
            config.routes.get("/api/jobs", ctx -> json(ctx, connected(jobs, "no Flink cluster: start bin/console with"
                    + " --flink-rest URL").read()));
            config.routes.get("/api/results", ctx -> json(ctx, connected(results, "no results database: start bin/console"
                    + " with --jdbc-url URL").search(ctx.queryParamMap())));
            config.routes.sse("/api/live", live::add);
            for (EvidenceLog.Kind kind : EvidenceLog.Kind.values()) {
                String path = "/api/" + kind.name().toLowerCase(java.util.Locale.ROOT);
                config.routes.get(path, ctx -> {
                    if (!followsEvidence) {
                        throw new BadRequest(404, "the job's reports, evaluations and drift are not followed: start bin/console with"
                                + " --lines FILE, or --bootstrap-servers and --report-topic, --eval-topic, --drift-topic");
                    }
                    json(ctx, evidence.read(kind, modelParam(ctx), limit(ctx)));
                });
            }
            config.routes.get("/api/csrf", ctx -> connected(actions, ACTIONS_OFF).csrf(ctx));
            config.routes.post("/api/actions/{action}", ctx -> connected(actions, ACTIONS_OFF).act(ctx));
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "the console could not answer: " + e.getClass().getSimpleName() + " (details in its log)");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                    error(ctx, 404, "no such resource: " + ctx.method() + " " + shorten(ctx.path()));
                }
            });
        });
        app.start();
        LOG.info("Console listening on http://{}:{}/", settings.host(), app.port());
        return new ConsoleServer(app, parts);
    }

    int port() {
        return app.port();
    }

    static final String ACTIONS_OFF = "actions are off: start bin/console with --allow-actions and --token-file";

    /**
     * Headers every answer carries: no sniffing, no framing, scripts and styles from the console only.
     * Only the actions may change anything: any other method than GET is refused before routing.
     */
    private static void secure(Context ctx, boolean actions) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        boolean reads = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        if (!reads && !(ctx.method().name().equals("POST") && ctx.path().startsWith("/api/actions/"))) {
            throw new BadRequest(405, ctx.method() + " " + shorten(ctx.path()) + " is not offered: the console only reads, but for"
                    + " POST /api/actions/…");
        }
        if (!reads && !actions) {
            throw new BadRequest(403, ACTIONS_OFF);
        }
    }

    private static <T> T connected(Optional<T> source, String otherwise) {
        return source.orElseThrow(() -> new BadRequest(404, otherwise));
    }

    /** What is connected: {@code {"models": …, "flink": …, "results": …, "actions": false}}. */
    private static ObjectNode status(ObjectMapper json, ConsoleSettings settings) {
        ObjectNode status = json.createObjectNode();
        status.set("models", source(json, settings.models().map(Object::toString)
                .or(() -> settings.topics().flatMap(ConsoleSettings.Topics::modelTopic).map(topic -> "topic " + topic)),
                "--models DIR, or --model-topic TOPIC"));
        status.set("flink", source(json, settings.flinkRest().map(Object::toString), "--flink-rest URL"));
        status.set("results", source(json, settings.results().map(s -> s.table()), "--jdbc-url URL"));
        status.set("evidence", source(json, settings.lines().map(Object::toString)
                .or(() -> settings.topics().filter(t -> !t.kinds().isEmpty()).map(t -> String.join(", ", t.kinds().keySet()))),
                "--lines FILE or --bootstrap-servers and the job's --report-topic, --eval-topic, --drift-topic"));
        status.put("actions", settings.allowActions());
        return status;
    }

    private static ObjectNode source(ObjectMapper json, Optional<String> where, String option) {
        ObjectNode source = json.createObjectNode().put("connected", where.isPresent());
        where.ifPresentOrElse(w -> source.put("where", w), () -> source.put("connect", "start bin/console with " + option));
        return source;
    }

    /** One snapshot of the live view; a source that cannot be read says why instead. */
    static ObjectNode snapshot(ObjectMapper json, Optional<ModelRegistry> registry, Optional<FlinkJobs> jobs) {
        ObjectNode snapshot = json.createObjectNode().put("time", System.currentTimeMillis());
        registry.ifPresent(r -> {
            try {
                snapshot.set("models", r.newest());
            } catch (Exception e) {
                snapshot.put("modelsError", e.getMessage());
            }
        });
        jobs.ifPresent(j -> {
            try {
                snapshot.set("jobs", j.read().get("jobs"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                snapshot.put("jobsError", e.getMessage());
            }
        });
        return snapshot;
    }

    private static void json(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(body.toString());
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json")
                .result(new ObjectMapper().createObjectNode().put("error", message).toString());
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** The {@code model} query parameter, if given: a model name. */
    private static String modelParam(Context ctx) {
        String model = ctx.queryParam("model");
        if (model != null && !io.modelcast.model.ModelName.isValid(model)) {
            throw new BadRequest("'model': " + io.modelcast.model.ModelName.describeInvalid(shorten(model)));
        }
        return model;
    }

    /** The {@code limit} query parameter: 1 to {@value EvidenceLog#KEPT}, default 500. */
    private static int limit(Context ctx) {
        String limit = ctx.queryParam("limit");
        if (limit == null) {
            return 500;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= EvidenceLog.KEPT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new BadRequest("'limit' is from 1 to " + EvidenceLog.KEPT + ", not '" + shorten(limit) + "'");
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}: {}", part, e.toString());
            }
        }
        app.stop();
    }
}
