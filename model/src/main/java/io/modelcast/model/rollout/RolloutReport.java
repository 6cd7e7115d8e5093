package io.modelcast.model.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * What the job measured of a running rollout, as one line of its rollout report says (the job's
 * {@code ReportRollouts} writes them): the figures {@link RolloutJudge} decides on.
 *
 * @param model the model name
 * @param champion the champion version
 * @param challenger the challenger version
 * @param suspended whether a scoring subtask suspended the challenger (its local safety net)
 * @param challengerRecords records the challenger scored, on every subtask together
 * @param challengerErrorRate the share of them it failed on
 * @param scoreShift the PSI between the two score histograms; NaN where there are no scores
 * @param line the line as read
 */
public record RolloutReport(String model, long champion, long challenger, boolean suspended, long challengerRecords,
        double challengerErrorRate, double scoreShift, String line) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The report of a line — a JSON object, or one printed by the job with its {@code report> }
     * prefix — if it is one; anything else (other output in the same file) is not.
     */
    public static Optional<RolloutReport> parse(String line) {
        String text = line.strip();
        int brace = text.indexOf('{');
        if (brace < 0 || !(brace == 0 || text.substring(0, brace).strip().endsWith("report>"))) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text.substring(brace));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.hasNonNull("model") || !node.hasNonNull("challenger")
                || !node.hasNonNull("challengerRecords")) {
            return Optional.empty();
        }
        JsonNode shift = node.get("scoreShift");
        return Optional.of(new RolloutReport(node.get("model").asText(), node.path("champion").asLong(),
                node.get("challenger").asLong(), node.path("suspended").asBoolean(false),
                node.get("challengerRecords").asLong(), node.path("challengerErrorRate").asDouble(0),
                shift == null || !shift.isNumber() ? Double.NaN : shift.asDouble(), text.substring(brace)));
    }
}
