package io.modelcast.model;

import java.util.regex.Pattern;

/**
 * The names models are published and routed under: {@code [a-z0-9][a-z0-9_-]{0,63}}, so a name is
 * safe as a directory name, a Kafka header value, a metric label and a database value alike. A
 * model directory's flat files ({@code DIR/model-<v>.json}) are the model named {@link #DEFAULT},
 * and so is every record that names none.
 */
public final class ModelName {

    /** The name of the flat layout's model, and of every record that names none. */
    public static final String DEFAULT = "default";

    /** What a name must match, for messages. */
    public static final String RULE = "[a-z0-9][a-z0-9_-]{0,63}";

    private static final Pattern PATTERN = Pattern.compile(RULE);

    private ModelName() {}

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * {@code name} if it is valid.
     *
     * @throws IllegalArgumentException saying what a name must be
     */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(describeInvalid(name));
        }
        return name;
    }

    /** Why {@code name} is not a model name, in words. */
    public static String describeInvalid(String name) {
        return "\"" + name + "\" is not a model name: names are 1 to 64 characters, lowercase letters, digits,"
                + " '-' and '_', starting with a letter or digit (" + RULE + ")";
    }
}
