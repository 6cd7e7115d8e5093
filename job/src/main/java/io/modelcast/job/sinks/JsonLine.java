package io.modelcast.job.sinks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;

/** Builds one flat JSON object on one line, with strings escaped. Not thread-safe. */
public final class JsonLine {

    private final StringBuilder json = new StringBuilder(96).append('{');

    public JsonLine field(String name, String value) {
        name(name);
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, json);
            json.append('"');
        }
        return this;
    }

    public JsonLine field(String name, long value) {
        name(name);
        json.append(value);
        return this;
    }

    /** An array of whole numbers. */
    public JsonLine field(String name, long[] values) {
        name(name);
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(values[i]);
        }
        json.append(']');
        return this;
    }

    /** An array of doubles, each as Java prints it shortest; non-finite ones as null. */
    public JsonLine field(String name, double[] values) {
        name(name);
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(Double.isFinite(values[i]) ? Double.toString(values[i]) : "null");
        }
        json.append(']');
        return this;
    }

    /** An array of strings. */
    public JsonLine field(String name, List<String> values) {
        name(name);
        json.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(values.get(i), json);
            json.append('"');
        }
        json.append(']');
        return this;
    }

    /** An array of 32-bit numbers, as Java prints each shortest. */
    public JsonLine field(String name, float[] values) {
        name(name);
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(values[i]);
        }
        json.append(']');
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
        json.append(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    private void name(String name) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('"').append(name).append("\":");
    }

    @Override
    public String toString() {
        return json.toString() + '}';
    }
}
