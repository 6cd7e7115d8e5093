package io.modelcast.job.labels;

import io.modelcast.job.records.RecordOrigin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * Reads one label: a socket line {@code id,label}, or a Kafka value {@code {"id": …, "label": 0|1}}
 * whose key, if it has one, is the id. The label must be 0 or 1 and the id 1 to {@value #MAX_ID_CHARS}
 * characters; anything else is refused with the reason ({@link BadLabel}), never guessed at.
 */
public final class LabelParser {

    /** Longer ids are refused: an id is a key of keyed state. */
    public static final int MAX_ID_CHARS = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a label was refused. */
    public static final class BadLabel extends Exception {
        BadLabel(String reason) {
            super(reason, null, false, false);
        }
    }

    private LabelParser() {}

    /** A socket line {@code id,label}. */
    public static Label line(String line) throws BadLabel {
        int comma = line.lastIndexOf(',');
        if (comma < 0) {
            throw new BadLabel("a label line is id,label (label 0 or 1): no comma");
        }
        return new Label(id(line.substring(0, comma).strip()), label(line.substring(comma + 1).strip()), line, null);
    }

    /** A Kafka record's value {@code {"id": …, "label": 0|1}}; its key, if any, is the id and wins. */
    public static Label kafka(byte[] key, byte[] value, RecordOrigin origin) throws BadLabel {
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new BadLabel("a label is a JSON object {\"id\": …, \"label\": 0|1}: not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadLabel("a label is a JSON object {\"id\": …, \"label\": 0|1}");
        }
        String id = key != null && key.length > 0 ? new String(key, StandardCharsets.UTF_8)
                : node.path("id").isValueNode() ? node.path("id").asText() : "";
        JsonNode label = node.path("label");
        if (!label.isIntegralNumber()) {
            throw new BadLabel("a label's \"label\" is 0 or 1, was " + (label.isMissingNode() ? "missing" : label.toString()));
        }
        return new Label(id(id), label(label.asText()), text, origin);
    }

    private static String id(String id) throws BadLabel {
        if (id.isEmpty()) {
            throw new BadLabel("a label needs the id of the record it labels");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new BadLabel("a label's id has at most " + MAX_ID_CHARS + " characters, this one " + id.length());
        }
        return id;
    }

    private static int label(String label) throws BadLabel {
        return switch (label) {
            case "0" -> 0;
            case "1" -> 1;
            default -> throw new BadLabel("a label is 0 or 1, was '" + (label.length() > 20 ? label.substring(0, 20) + "…" : label) + "'");
        };
    }
}
