package io.modelcast.console;

import io.modelcast.model.ModelName;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The console's actions on a model name — promote a version, roll back, retire the challenger — the
 * same {@link ModelDirectory} calls as {@code fitter promote}, {@code fitter rollback} and {@code
 * fitter rollout --retire}, so the job sees them as any publish. Off unless {@code --allow-actions}.
 * Each request must carry the token ({@code Authorization: Bearer …}, compared in constant time),
 * the CSRF token of the page's cookie in {@code X-CSRF-Token} (double-submit: a page of another
 * origin can send neither), and {@code "confirm": true}. Every action, done or refused, is logged.
 */
final class Actions {

    private static final Logger LOG = LoggerFactory.getLogger(Actions.class);

    static final String CSRF_COOKIE = "modelcast-csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final ObjectMapper json;
    private final Path models;
    private final byte[] token;
    private final String csrf;

    Actions(ObjectMapper json, Path models, String token) {
        this.json = json;
        this.models = models;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.csrf = HexFormat.of().formatHex(random);
    }

    /** {@code GET /api/csrf}: the CSRF token, also set as a same-site cookie the page sends back in a header. */
    void csrf(Context ctx) {
        // Same-site, and out of scripts' reach: the page sends the token it got in this answer's body.
        ctx.cookie(new Cookie(CSRF_COOKIE, csrf, "/", -1, false, true, null, SameSite.STRICT));
        ctx.contentType("application/json").result(json.createObjectNode().put("csrf", csrf).toString());
    }

    /** {@code POST /api/actions/{action}} with {@code {"name", "version"?, "confirm": true}}. */
    void act(Context ctx) throws IOException {
        String action = ctx.pathParam("action");
        String who = ctx.ip();
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")
                || !MessageDigest.isEqual(token, header.substring(7).getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("Refused action {} from {}: no valid token", action, who);
            throw new BadRequest(401, "this action needs the console's token (Authorization: Bearer …)");
        }
        String cookie = ctx.cookie(CSRF_COOKIE);
        String sent = ctx.header(CSRF_HEADER);
        if (cookie == null || sent == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8)) || !cookie.equals(sent)) {
            LOG.warn("Refused action {} from {}: CSRF token missing or wrong", action, who);
            throw new BadRequest(403, "the CSRF token is missing or wrong: load the console page (GET /api/csrf) and send its"
                    + " token in " + CSRF_HEADER);
        }
        JsonNode body;
        try {
            body = json.readTree(ctx.body());
        } catch (IOException e) {
            throw new BadRequest("the body is not JSON: {\"name\": …, \"confirm\": true}");
        }
        if (body == null || !body.path("confirm").asBoolean(false)) {
            throw new BadRequest("confirm the action: {\"confirm\": true}");
        }
        String name = body.path("name").asText(ModelName.DEFAULT);
        if (!ModelName.isValid(name)) {
            throw new BadRequest("'name': " + ModelName.describeInvalid(name.length() > 64 ? name.substring(0, 64) + "…" : name));
        }
        ModelDirectory directory;
        try {
            directory = ModelRepository.open(models).existing(name);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadRequest(404, "no model named " + name + " is published in " + models);
        }
        ModelFile published;
        try {
            published = switch (action) {
                case "promote" -> directory.promote(version(body), warning -> LOG.warn("{}", warning));
                case "rollback" -> directory.rollback(warning -> LOG.warn("{}", warning));
                case "retire" -> directory.endRollout(version(body), false, warning -> LOG.warn("{}", warning));
                default -> throw new BadRequest(404, "no action '" + (action.length() > 20 ? action.substring(0, 20) + "…" : action)
                        + "' (actions: promote, rollback, retire)");
            };
        } catch (IOException e) {
            LOG.warn("Action {} of model {} from {} failed: {}", action, name, who, e.getMessage());
            throw new BadRequest(409, action + " of model " + name + " was not done: " + e.getMessage());
        }
        published.model().close();
        LOG.info("Action {} of model {} from {}: published version {}{}", action, name, who, published.version(),
                published.promotedFrom().isPresent() ? " (from version " + published.promotedFrom().getAsLong() + ")" : "");
        ObjectNode answer = json.createObjectNode().put("action", action).put("name", name).put("published", published.version());
        published.promotedFrom().ifPresent(from -> answer.put("promotedFrom", from));
        ctx.contentType("application/json").result(answer.toString());
    }

    private static long version(JsonNode body) {
        JsonNode version = body.get("version");
        if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
            throw new BadRequest("'version' is a published version (a whole number from 1)");
        }
        return version.asLong();
    }
}
