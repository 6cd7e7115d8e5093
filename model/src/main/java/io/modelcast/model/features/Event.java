package io.modelcast.model.features;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One raw event: a JSON object of named fields and its event time, read from the time field as epoch
 * milliseconds or an ISO-8601 instant ({@code 2026-12-06T10:15:30Z}). Immutable.
 */
public final class Event {

    private final JsonNode fields;
    private final long timeMillis;

    private Event(JsonNode fields, long timeMillis) {
        this.fields = fields;
        this.timeMillis = timeMillis;
    }

    /**
     * An event from a JSON object.
     *
     * @throws IllegalArgumentException if it is not an object or its time field is missing or not a time
     */
    public static Event of(JsonNode json, String timeField) {
        Objects.requireNonNull(timeField, "timeField");
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an event is a JSON object");
        }
        JsonNode time = json.get(timeField);
        if (time == null || time.isNull()) {
            throw new IllegalArgumentException("the event has no time field '" + timeField + "'");
        }
        if (time.isIntegralNumber() && time.canConvertToLong()) {
            return new Event(json, time.longValue());
        }
        if (time.isTextual()) {
            try {
                return new Event(json, Instant.parse(time.textValue()).toEpochMilli());
            } catch (DateTimeParseException e) {
                // Reported below.
            }
        }
        throw new IllegalArgumentException("the time field '" + timeField + "' is neither epoch milliseconds nor an"
                + " ISO-8601 instant: " + time);
    }

    public long timeMillis() {
        return timeMillis;
    }

    /** The event's fields, as read. */
    public JsonNode fields() {
        return fields;
    }

    /** A numeric field's value; NaN if it is missing or not a finite number. */
    public double number(String field) {
        JsonNode value = fields.get(field);
        return value != null && value.isNumber() && Double.isFinite(value.doubleValue()) ? value.doubleValue() : Double.NaN;
    }

    /** A key field's value — a string, or a whole number as text — or null if it has none. */
    public String key(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        return value.isIntegralNumber() ? value.asText() : null;
    }
}
