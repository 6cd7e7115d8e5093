package io.modelcast.model.file;

import io.modelcast.model.file.ModelFileException.Reason;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.Rollout.Mode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@code "rollout"} section of a challenger's model file:
 *
 * <pre>{@code
 * "rollout" : {
 *   "role" : "challenger", "mode" : "canary", "percent" : 10, "challenges" : 4,
 *   "policy" : { "promoteAfter" : 10000, "maxErrorRate" : 0.01, "maxScoreShift" : 0.25, "minAuc" : 0.8 }
 * }
 * }</pre>
 *
 * Every field is required ({@code percent} only for a canary); a file without the section is a
 * champion. Like {@code promotedFrom}, the section is outside the parameters' checksum: it says how
 * a model is rolled out, not what it computes.
 */
final class RolloutFormat {

    static final String FIELD = "rollout";

    private RolloutFormat() {}

    static void write(Rollout rollout, ObjectNode root) {
        ObjectNode node = root.putObject(FIELD);
        node.put("role", "challenger");
        node.put("mode", rollout.mode().label());
        if (rollout.mode() == Mode.CANARY) {
            node.put("percent", rollout.percent());
        }
        node.put("challenges", rollout.challenges());
        ObjectNode policy = node.putObject("policy");
        policy.put("promoteAfter", rollout.policy().promoteAfter());
        policy.put("maxErrorRate", rollout.policy().maxErrorRate());
        policy.put("maxScoreShift", rollout.policy().maxScoreShift());
        rollout.policy().minAuc().ifPresent(bound -> policy.put("minAuc", bound));
        rollout.policy().maxLogLoss().ifPresent(bound -> policy.put("maxLogLoss", bound));
    }

    /** The rollout of a file, if it has one; {@code version} is the file's own. */
    static Optional<Rollout> read(String source, JsonNode root, long version) throws ModelFileException {
        JsonNode node = root.get(FIELD);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw invalid(source, "'rollout' must be an object");
        }
        String role = text(source, node, "role");
        if (!role.equals("challenger")) {
            throw invalid(source, "'rollout.role' must be \"challenger\" (a champion has no rollout section), found \"" + role + "\"");
        }
        String modeText = text(source, node, "mode");
        Mode mode;
        try {
            mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(source, "'rollout.mode' must be \"shadow\" or \"canary\", found \"" + modeText + "\"");
        }
        double percent = mode == Mode.CANARY ? number(source, node, "percent") : 100;
        long challenges = whole(source, node, "challenges");
        if (challenges >= version) {
            throw invalid(source, "'rollout.challenges' must be an earlier version than the file's own (" + version
                    + "), found " + challenges);
        }
        JsonNode policyNode = node.get("policy");
        if (policyNode == null || !policyNode.isObject()) {
            throw invalid(source, "'rollout.policy' is missing: a challenger says when it is promoted"
                    + " (promoteAfter, maxErrorRate, maxScoreShift)");
        }
        try {
            Rollout.Policy policy = new Rollout.Policy(whole(source, policyNode, "promoteAfter"),
                    number(source, policyNode, "maxErrorRate"), number(source, policyNode, "maxScoreShift"),
                    optionalNumber(source, policyNode, "minAuc"), optionalNumber(source, policyNode, "maxLogLoss"));
            return Optional.of(new Rollout(mode, percent, challenges, policy));
        } catch (IllegalArgumentException e) {
            throw invalid(source, "'rollout': " + e.getMessage());
        }
    }

    /** An optional bound: absent (or null) is no bound. */
    private static OptionalDouble optionalNumber(String source, JsonNode node, String field) throws ModelFileException {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? OptionalDouble.empty() : OptionalDouble.of(number(source, node, field));
    }

    private static String text(String source, JsonNode node, String field) throws ModelFileException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(source, "'rollout' needs '" + field + "' (a string)" + found(value));
        }
        return value.textValue();
    }

    private static double number(String source, JsonNode node, String field) throws ModelFileException {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw invalid(source, "'rollout' needs '" + field + "' (a number)" + found(value));
        }
        return value.doubleValue();
    }

    private static long whole(String source, JsonNode node, String field) throws ModelFileException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(source, "'rollout' needs '" + field + "' (a whole number)" + found(value));
        }
        return value.longValue();
    }

    private static String found(JsonNode value) {
        return value == null ? "" : ", found " + value;
    }

    private static ModelFileException invalid(String source, String message) {
        return new ModelFileException(source, Reason.INVALID_ROLLOUT, message);
    }
}
