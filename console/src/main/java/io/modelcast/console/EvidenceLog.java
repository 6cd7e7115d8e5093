package io.modelcast.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the job reports about its models, as the console last read it: rollout reports, evaluations
 * (from labels) and drift records, the newest {@link #KEPT} of each kind, in arrival order. Fed by a
 * {@link LinesFollower} (the job's output file) and a {@link TopicsFollower} (the job's topics).
 * Thread-safe.
 */
final class EvidenceLog {

    /** How many records of each kind are kept. */
    static final int KEPT = 2_000;

    /** The kinds of record, with the prefix the job prints each with in socket mode. */
    enum Kind {
        REPORTS("report> "), EVALUATIONS("eval> "), DRIFT("drift> ");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final ObjectMapper json;
    private final Map<Kind, Deque<JsonNode>> records = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);

    EvidenceLog(ObjectMapper json) {
        this.json = json;
        for (Kind kind : Kind.values()) {
            records.put(kind, new ArrayDeque<>());
            counts.put(kind, 0L);
        }
    }

    /** Adds a record of {@code kind} if {@code text} is a JSON object; returns whether it was one. */
    synchronized boolean add(Kind kind, String text) {
        JsonNode record;
        try {
            record = json.readTree(text);
        } catch (Exception e) {
            return false;
        }
        if (record == null || !record.isObject()) {
            return false;
        }
        Deque<JsonNode> kept = records.get(kind);
        kept.addLast(record);
        if (kept.size() > KEPT) {
            kept.removeFirst();
        }
        counts.merge(kind, 1L, Long::sum);
        return true;
    }

    /** A line of the job's output: a record if it starts with a kind's prefix. */
    void addLine(String line) {
        for (Kind kind : Kind.values()) {
            if (line.startsWith(kind.prefix)) {
                add(kind, line.substring(kind.prefix.length()));
                return;
            }
        }
    }

    /** {@code {"records": [...]}}: the newest {@code limit} of {@code kind}, of model {@code model} if given, oldest first. */
    synchronized ObjectNode read(Kind kind, String model, int limit) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode out = answer.putArray("records");
        Deque<JsonNode> matching = new ArrayDeque<>();
        for (JsonNode record : records.get(kind)) {
            if (model == null || model.equals(record.path("model").asText())) {
                matching.addLast(record);
                if (matching.size() > limit) {
                    matching.removeFirst();
                }
            }
        }
        matching.forEach(out::add);
        return answer;
    }

    /** How many records of each kind were read so far: {@code {"reports": n, "evaluations": n, "drift": n}}. */
    synchronized ObjectNode counts() {
        ObjectNode answer = json.createObjectNode();
        counts.forEach((kind, count) -> answer.put(kind.name().toLowerCase(java.util.Locale.ROOT), count));
        return answer;
    }
}
