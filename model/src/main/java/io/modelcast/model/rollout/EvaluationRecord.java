package io.modelcast.model.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * One window's evaluation of a model version from labels, as the job writes it ({@code eval>} lines
 * or its {@code --eval-topic}): the figures {@link EvaluationEvidence} adds up for the rollout judge.
 *
 * @param model the model name
 * @param modelVersion the version evaluated
 * @param labelled its labelled records in the window
 * @param logLoss their mean log-loss
 * @param auc their AUC; NaN while the window had one label only
 */
public record EvaluationRecord(String model, long modelVersion, long labelled, double logLoss, double auc) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The evaluation record of a line — JSON, or printed with the {@code eval> } prefix — if it is one. */
    public static Optional<EvaluationRecord> parse(String line) {
        String text = line.strip();
        int brace = text.indexOf('{');
        if (brace < 0 || !(brace == 0 || text.substring(0, brace).strip().endsWith("eval>"))) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text.substring(brace));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.hasNonNull("model") || !node.hasNonNull("modelVersion")
                || !node.path("labelled").isIntegralNumber() || !node.path("windowEnd").isNumber()) {
            return Optional.empty();
        }
        JsonNode auc = node.get("auc");
        JsonNode logLoss = node.get("logLoss");
        return Optional.of(new EvaluationRecord(node.get("model").asText(), node.get("modelVersion").asLong(),
                node.get("labelled").asLong(), logLoss != null && logLoss.isNumber() ? logLoss.asDouble() : Double.NaN,
                auc != null && auc.isNumber() ? auc.asDouble() : Double.NaN));
    }
}
