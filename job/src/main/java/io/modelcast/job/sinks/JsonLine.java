package io.modelcast.job.sinks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;
import java.util.function.IntConsumer;

/** Builds one flat JSON object on one line, with strings escaped. Not thread-safe. */
public final class JsonLine {

    private final StringBuilder json = new StringBuilder(96).append('{');

    public JsonLine field(String name, String value) {
        name(name);
        string(value);
        return this;
    }

    public JsonLine field(String name, long value) {
        name(name);
        json.append(value);
        return this;
    }

    public JsonLine field(String name, boolean value) {
        name(name);
        json.append(value);
        return this;
    }

    /** A finite double, as Java prints it shortest (0.8734120581); non-finite values as null. */
    public JsonLine field(String name, double value) {
        name(name);
        number(value);
        return this;
    }

    /** An array of whole numbers. */
    public JsonLine field(String name, long[] values) {
        return array(name, values.length, i -> json.append(values[i]));
    }

    /** An array of doubles, each as Java prints it shortest; non-finite ones as null. */
    public JsonLine field(String name, double[] values) {
        return array(name, values.length, i -> number(values[i]));
    }

    /** An array of 32-bit numbers, as Java prints each shortest. */
    public JsonLine field(String name, float[] values) {
        return array(name, values.length, i -> json.append(values[i]));
    }

    /**
     * A JSON object of 32-bit numbers by name, each number as Java prints it shortest (non-finite
     * ones as null): {@code {"a":1.5,"b":2.0}}.
     */
    public static String numbersByName(List<String> names, float[] values) {
        JsonLine json = new JsonLine();
        for (int i = 0; i < values.length; i++) {
            json.name(names.get(i));
            if (Float.isFinite(values[i])) {
                json.json.append(values[i]);
            } else {
                json.json.append("null");
            }
        }
        return json.toString();
    }

    /** A value that is JSON already (an object another {@code JsonLine} built), as it is. */
    public JsonLine raw(String name, String json) {
        name(name);
        this.json.append(json);
        return this;
    }

    /** An array of strings. */
    public JsonLine field(String name, List<String> values) {
        return array(name, values.size(), i -> string(values.get(i)));
    }

    private JsonLine array(String name, int size, IntConsumer element) {
        name(name);
        json.append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                json.append(',');
            }
            element.accept(i);
        }
        json.append(']');
        return this;
    }

    private void string(String value) {
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            if (needsNoEscaping(value)) {
                // Most strings (inputs, versions, names, topics) are plain ASCII: appended whole,
                // not char by char as the encoder does — this is on every result's path.
                json.append(value);
            } else {
                JsonStringEncoder.getInstance().quoteAsString(value, json);
            }
            json.append('"');
        }
    }

    private static boolean needsNoEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private void number(double value) {
        json.append(Double.isFinite(value) ? Double.toString(value) : "null");
    }

    private void name(String name) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('"').append(name).append("\":");
    }

    @Override
    public String toString() {
        String line = json.append('}').toString();
        json.setLength(json.length() - 1);
        return line;
    }
}
