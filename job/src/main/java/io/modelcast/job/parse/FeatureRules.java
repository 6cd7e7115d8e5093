package io.modelcast.job.parse;

import io.modelcast.model.ModelName;

import io.modelcast.job.InputFormat;
import io.modelcast.job.parse.InputRules.InvalidInputException;
import io.modelcast.job.records.InputBatchBuilder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;

/**
 * What a valid feature-vector input is: {@code csv} — comma-separated finite numbers — or {@code
 * json} — an object with a {@code features} array of finite numbers, an optional {@code model}
 * (a {@linkplain ModelName model name}) and an optional {@code id}
 * (string or number). At most {@link #MAX_FEATURES} features (the length in bytes is checked
 * before, by {@link InputParser}). Whether the count fits the model is for the scoring operator to say, which knows it.
 * Not thread-safe (it reuses a buffer); one per operator instance.
 */
public final class FeatureRules {

    /** More features than this is refused: it bounds the memory one record can take. */
    public static final int MAX_FEATURES = 100_000;

    /** Longer ids are refused: results carry them. */
    public static final int MAX_ID_LENGTH = 256;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private float[] buffer = new float[64];
    private int count;
    private String id;
    private String model;

    /** Parses an input; then {@link #features()} and {@link #id()} hold what it held. */
    public void parse(String input, InputFormat format) throws InvalidInputException {
        count = 0;
        id = null;
        model = null;
        if (input.isBlank()) {
            throw new InvalidInputException("empty");
        }
        if (format == InputFormat.CSV) {
            parseCsv(input);
        } else if (format == InputFormat.JSON) {
            parseJson(input, false);
        } else if (format == InputFormat.EVENTS) {
            parseJson(input, true);
        } else {
            throw new IllegalArgumentException(format + " inputs are integers, not feature vectors");
        }
    }

    /** A copy of the features of the input parsed last. */
    public float[] features() {
        return Arrays.copyOf(buffer, count);
    }

    /** Gives the input {@code batch} added last the features, id and model name parsed last, without an intermediate copy. */
    public void addTo(InputBatchBuilder batch) {
        batch.withFeatures(buffer, count, id);
        if (model != null) {
            batch.withModel(model);
        }
    }

    /** The model name of a JSON input, or null if it names none. */
    public String model() {
        return model;
    }

    /** The id of a JSON input, or null. */
    public String id() {
        return id;
    }

    private void parseCsv(String input) throws InvalidInputException {
        int start = 0;
        int n = input.length();
        while (true) {
            int comma = input.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            String cell = input.substring(start, end).strip();
            add(cell, count);
            if (comma < 0) {
                return;
            }
            start = comma + 1;
        }
    }

    private void add(String cell, int index) throws InvalidInputException {
        if (cell.isEmpty()) {
            throw new InvalidInputException("feature " + (index + 1) + " is empty");
        }
        float value;
        try {
            value = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("feature " + (index + 1) + " is not a number: '" + abbreviate(cell) + "'");
        }
        add(value, index);
    }

    private void add(float value, int index) throws InvalidInputException {
        if (!Float.isFinite(value)) {
            throw new InvalidInputException("feature " + (index + 1) + " is not a finite 32-bit number");
        }
        if (count == MAX_FEATURES) {
            throw new InvalidInputException("more than " + MAX_FEATURES + " features");
        }
        if (count == buffer.length) {
            buffer = Arrays.copyOf(buffer, count * 2);
        }
        buffer[count++] = value;
    }

    /**
     * A JSON object with its id and model; with {@code event}, a raw event, whose other fields —
     * including one called {@code features} — are for the feature spec to read (features none yet).
     */
    private void parseJson(String input, boolean event) throws InvalidInputException {
        boolean sawFeatures = false;
        try (JsonParser parser = JSON.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(event ? "not a JSON object like {\"ts\": …, \"user\": …, \"amount\": …}"
                        : "not a JSON object like {\"id\": …, \"features\": [...]}");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("features".equals(field) && !event) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new InvalidInputException("\"features\" is not an array of numbers");
                    }
                    for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                        if (item != JsonToken.VALUE_NUMBER_INT && item != JsonToken.VALUE_NUMBER_FLOAT) {
                            throw new InvalidInputException("feature " + (count + 1) + " is not a number");
                        }
                        add(parser.getFloatValue(), count);
                    }
                    sawFeatures = true;
                } else if ("model".equals(field)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidInputException("\"model\" is not a string (a model name)");
                    }
                    model = parser.getText();
                    if (!ModelName.isValid(model)) {
                        throw new InvalidInputException("\"model\": " + ModelName.describeInvalid(abbreviate(model)));
                    }
                } else if ("id".equals(field)) {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
                        throw new InvalidInputException("\"id\" is neither a string nor an integer");
                    }
                    id = parser.getText();
                    if (id.length() > MAX_ID_LENGTH) {
                        throw new InvalidInputException("\"id\" is longer than " + MAX_ID_LENGTH + " characters");
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidInputException("text after the JSON object");
            }
        } catch (IOException e) {
            throw new InvalidInputException("not valid JSON: " + abbreviate(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (event) {
            return;
        }
        if (!sawFeatures) {
            throw new InvalidInputException("no \"features\" array");
        }
        if (count == 0) {
            throw new InvalidInputException("no features");
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
