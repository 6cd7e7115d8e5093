package io.modelcast.model.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named features computed from raw events, declared once: stored in the model file, read by the job
 * to compute them in the stream and by the fitter to compute them offline ({@link FeatureComputer}),
 * so training and serving compute the same thing. docs/features.md specifies the JSON:
 *
 * <pre>{@code
 * {"features": [
 *   {"name": "amount", "op": "value", "of": "amount"},
 *   {"name": "purchases_1h", "op": "count", "by": "user", "window": "1h"},
 *   {"name": "mean_amount_10", "op": "mean", "of": "amount", "by": "user", "last": 10},
 *   {"name": "since_last", "op": "seconds_since_last", "by": "user", "missing": -1}
 * ]}
 * }</pre>
 *
 * <p>Rules: 1 to {@value #MAX_FEATURES} features with distinct names; {@code value} takes no
 * {@code by}, {@code last} or {@code window}; the aggregates take exactly one of {@code last} (1 to
 * {@value #MAX_LAST}) or {@code window} (a duration such as {@code 10m}, up to 30 days);
 * {@code last} and {@code seconds_since_last} may take a {@code window} (the previous event must lie
 * in it); all stateful features share one {@code by} field or none (the job keys the stream once).
 */
public record FeatureSpec(List<FeatureDef> features) {

    public static final int MAX_FEATURES = 256;
    public static final int MAX_LAST = 10_000;
    public static final long MAX_WINDOW_MILLIS = 30L * 24 * 3600 * 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    private static final Set<String> FIELDS = Set.of("name", "op", "of", "by", "last", "window", "missing");

    public FeatureSpec {
        features = List.copyOf(features);
    }

    /** The field that keys the stateful features' histories, if they have one. */
    public Optional<String> keyField() {
        return features.stream().filter(f -> f.op().stateful()).map(FeatureDef::by).filter(by -> by != null).findFirst();
    }

    /**
     * A 64-bit digest of the spec (the first 8 bytes of SHA-256 over {@link #toJson}): equal for equal
     * specs. The job stamps each feature vector with the fingerprint of the spec that computed it,
     * and a model scores only vectors of its own spec.
     */
    public long fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(toJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The features' names, in order: the model's input vector. */
    public List<String> names() {
        return features.stream().map(FeatureDef::name).toList();
    }

    /**
     * Reads and checks a spec.
     *
     * @throws FeatureSpecException naming the feature and what is wrong with it
     */
    public static FeatureSpec fromJson(JsonNode json) throws FeatureSpecException {
        if (json == null || !json.isObject() || !json.path("features").isArray()) {
            throw new FeatureSpecException("a feature spec is an object with a \"features\" array");
        }
        JsonNode array = json.get("features");
        if (array.isEmpty() || array.size() > MAX_FEATURES) {
            throw new FeatureSpecException("a feature spec has 1 to " + MAX_FEATURES + " features, not " + array.size());
        }
        List<FeatureDef> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String keyField = null;
        boolean keyFieldSet = false;
        for (int i = 0; i < array.size(); i++) {
            FeatureDef feature = feature(array.get(i), i);
            if (!names.add(feature.name())) {
                throw new FeatureSpecException("feature '" + feature.name() + "' is declared twice");
            }
            if (feature.op().stateful()) {
                if (keyFieldSet && !java.util.Objects.equals(keyField, feature.by())) {
                    throw new FeatureSpecException("feature '" + feature.name() + "' is by " + describe(feature.by())
                            + " but an earlier one is by " + describe(keyField)
                            + ": all stateful features of a spec share one 'by' field (or none)");
                }
                keyField = feature.by();
                keyFieldSet = true;
            }
            features.add(feature);
        }
        return new FeatureSpec(features);
    }

    private static String describe(String by) {
        return by == null ? "no field" : "'" + by + "'";
    }

    private static FeatureDef feature(JsonNode node, int index) throws FeatureSpecException {
        if (!node.isObject()) {
            throw new FeatureSpecException("feature " + (index + 1) + " is not an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new FeatureSpecException("feature " + (index + 1) + " has an unknown field '" + field + "' (known: "
                        + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        String name = text(node, "name", "feature " + (index + 1));
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FeatureSpecException("feature " + (index + 1) + " needs a 'name' of letters, digits and '_' (not"
                    + " starting with a digit, at most 64)");
        }
        String where = "feature '" + name + "'";
        String opLabel = text(node, "op", where);
        if (opLabel == null) {
            throw new FeatureSpecException(where + " needs an 'op'");
        }
        FeatureOp op = FeatureOp.byLabel(opLabel).orElseThrow(() -> new FeatureSpecException(where + " has an unknown op '"
                + opLabel + "' (known: value, count, sum, mean, min, max, last, seconds_since_last, distinct_count)"));
        String of = text(node, "of", where);
        if (op.needsField() && of == null) {
            throw new FeatureSpecException(where + " (" + opLabel + ") needs 'of': the numeric event field it reads");
        }
        if (!op.needsField() && of != null) {
            throw new FeatureSpecException(where + " (" + opLabel + ") reads no field: leave out 'of'");
        }
        String by = text(node, "by", where);
        int last = 0;
        if (node.has("last")) {
            JsonNode lastNode = node.get("last");
            if (!lastNode.canConvertToInt() || !lastNode.isIntegralNumber() || lastNode.intValue() < 1
                    || lastNode.intValue() > MAX_LAST) {
                throw new FeatureSpecException(where + ": 'last' is a whole number from 1 to " + MAX_LAST + ", not " + lastNode);
            }
            last = lastNode.intValue();
        }
        long window = 0;
        if (node.has("window")) {
            window = durationMillis(text(node, "window", where), where);
        }
        double missing = 0;
        if (node.has("missing")) {
            if (!node.get("missing").isNumber()) {
                throw new FeatureSpecException(where + ": 'missing' is a number, not " + node.get("missing"));
            }
            missing = node.get("missing").doubleValue();
        }
        switch (op) {
            case VALUE -> {
                if (by != null || last != 0 || window != 0) {
                    throw new FeatureSpecException(where + " (value) is the event's own field: no 'by', 'last' or 'window'");
                }
            }
            case LAST, SECONDS_SINCE_LAST -> {
                if (last != 0) {
                    throw new FeatureSpecException(where + " (" + opLabel + ") looks at the previous event: no 'last'"
                            + " (a 'window' bounds how old it may be)");
                }
            }
            default -> {
                if ((last == 0) == (window == 0)) {
                    throw new FeatureSpecException(where + " (" + opLabel + ") needs exactly one of 'last' (events) and"
                            + " 'window' (a duration such as 10m)");
                }
            }
        }
        return new FeatureDef(name, op, of, by, last, window, missing);
    }

    private static String text(JsonNode node, String field, String where) throws FeatureSpecException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new FeatureSpecException(where + ": '" + field + "' is a non-empty string, not " + value);
        }
        return value.textValue();
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}. */
    static long durationMillis(String text, String where) throws FeatureSpecException {
        Matcher matcher = DURATION.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new FeatureSpecException(where + ": 'window' is a duration such as 500ms, 30s, 10m, 1h or 2d, not '"
                    + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        long unit = switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (amount < 1 || amount > MAX_WINDOW_MILLIS / unit) {
            throw new FeatureSpecException(where + ": 'window' is from 1ms to 30d, not '" + text + "'");
        }
        return amount * unit;
    }

    /** The spec as JSON, as it is stored in a model file. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode array = json.putArray("features");
        for (FeatureDef feature : features) {
            ObjectNode node = array.addObject();
            node.put("name", feature.name());
            node.put("op", feature.op().label());
            if (feature.of() != null) {
                node.put("of", feature.of());
            }
            if (feature.by() != null) {
                node.put("by", feature.by());
            }
            if (feature.last() > 0) {
                node.put("last", feature.last());
            }
            if (feature.windowMillis() > 0) {
                node.put("window", feature.windowMillis() + "ms");
            }
            if (feature.missing() != 0) {
                node.put("missing", feature.missing());
            }
        }
        return json;
    }
}
