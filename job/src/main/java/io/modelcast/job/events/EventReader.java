package io.modelcast.job.events;

import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a raw event for a spec: the event, or why the spec cannot use it — no time or not a time, a
 * missing or non-numeric field a feature reads, no key. The one check of events, used where they are
 * keyed and again where their features are computed (the spec may have changed in between).
 */
final class EventReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String timeField;
    private Event event;
    private String problem;

    EventReader(String timeField) {
        this.timeField = timeField;
    }

    /** Reads {@code text} for {@code computer}'s spec; then {@link #event} or {@link #problem} holds the outcome. */
    boolean read(String text, FeatureComputer computer) {
        event = null;
        problem = null;
        try {
            Event read = Event.of(JSON.readTree(text), timeField);
            problem = computer.problem(read).orElse(null);
            if (problem == null) {
                event = read;
            }
        } catch (JsonProcessingException e) {
            problem = "not valid JSON: " + e.getOriginalMessage();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        return event != null;
    }

    Event event() {
        return event;
    }

    String problem() {
        return problem;
    }
}
