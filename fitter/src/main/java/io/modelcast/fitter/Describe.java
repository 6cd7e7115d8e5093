package io.modelcast.fitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.JsonCanonicalization;

/** How the fitter prints a model on one line. */
final class Describe {

    private Describe() {}

    /**
     * {@code 3  custom  {"isCloned":true}  2026-11-21T06:40:00.123Z}, version first, and {@code
     * (promoted from 1)} for a promoted version, {@code (challenger, canary:10, of version 2)} for a challenger.
     */
    static String line(ModelFile model) {
        return model.version()
                + "  "
                + model.type()
                + "  "
                + JsonCanonicalization.canonicalize(abridged(model.parameters()))
                + "  "
                + model.createdAt()
                + (model.promotedFrom().isPresent() ? "  (promoted from " + model.promotedFrom().getAsLong() + ")" : "")
                + model.rollout().map(r -> "  (challenger, " + r.describe() + ", of version " + r.challenges() + ")").orElse("");
    }

    /** Long strings (ONNX bytes) and arrays (weights) shortened, so the line stays a line. */
    static JsonNode abridged(JsonNode node) {
        if (node.isTextual() && node.asText().length() > 64) {
            return TextNode.valueOf("<" + node.asText().length() + " characters>");
        }
        if (node.isArray() && node.size() > 6) {
            ArrayNode shown = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < 4; i++) {
                shown.add(abridged(node.get(i)));
            }
            return shown.add("… " + node.size() + " in all");
        }
        if (node.isObject()) {
            ObjectNode shown = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> shown.set(e.getKey(), abridged(e.getValue())));
            return shown;
        }
        return node;
    }
}
