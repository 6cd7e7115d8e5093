package io.modelcast.model.file;

import io.modelcast.model.drift.Profile;
import io.modelcast.model.file.ModelFileException.Reason;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The optional {@code "profile"} section of a model file: its training data's distribution, for
 * drift ({@link Profile}):
 *
 * <pre>{@code
 * "profile" : {
 *   "features" : [ { "edges" : [ -1.2, …, 1.3 ], "shares" : [ 0.1, …, 0.1 ] }, … ],
 *   "scores" : [ 0.02, 0.05, …, 0.01 ]
 * }
 * }</pre>
 *
 * Outside the parameters' checksum, like {@code rollout}: it describes the data a model was trained
 * on, not what the model computes. A file without it has no drift measured.
 */
final class ProfileFormat {

    static final String FIELD = "profile";

    private ProfileFormat() {}

    static void write(Profile profile, ObjectNode root) {
        ObjectNode node = root.putObject(FIELD);
        ArrayNode features = node.putArray("features");
        for (Profile.Bins bins : profile.features()) {
            ObjectNode feature = features.addObject();
            ArrayNode edges = feature.putArray("edges");
            for (double edge : bins.edges()) {
                edges.add(edge);
            }
            ArrayNode shares = feature.putArray("shares");
            for (double share : bins.shares()) {
                shares.add(share);
            }
        }
        ArrayNode scores = node.putArray("scores");
        for (double share : profile.scoreShares()) {
            scores.add(share);
        }
    }

    static Optional<Profile> read(String source, JsonNode root) throws ModelFileException {
        JsonNode node = root.get(FIELD);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject() || !node.path("features").isArray()) {
            throw invalid(source, "'profile' must be an object with a 'features' array and a 'scores' array");
        }
        try {
            List<Profile.Bins> features = new ArrayList<>();
            for (JsonNode feature : node.get("features")) {
                features.add(new Profile.Bins(numbers(source, feature.get("edges"), "edges"),
                        numbers(source, feature.get("shares"), "shares")));
            }
            return Optional.of(new Profile(features, numbers(source, node.get("scores"), "scores")));
        } catch (IllegalArgumentException e) {
            throw invalid(source, "'profile': " + e.getMessage());
        }
    }

    private static double[] numbers(String source, JsonNode array, String field) throws ModelFileException {
        if (array == null || !array.isArray()) {
            throw invalid(source, "'profile' needs '" + field + "' arrays of numbers");
        }
        double[] numbers = new double[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw invalid(source, "'profile' " + field + " hold finite numbers, found " + value);
            }
            numbers[i] = value.doubleValue();
        }
        return numbers;
    }

    private static ModelFileException invalid(String source, String message) {
        return new ModelFileException(source, Reason.INVALID_FIELD, message);
    }
}
