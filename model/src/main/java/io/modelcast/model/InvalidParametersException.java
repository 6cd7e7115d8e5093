package io.modelcast.model;

/** Thrown by a {@link ModelType} when a model's parameters cannot build a model. */
public final class InvalidParametersException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean missing;

    private InvalidParametersException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    /** A required parameter is absent. */
    public static InvalidParametersException missing(String parameter) {
        return new InvalidParametersException("parameter '" + parameter + "' is missing", true);
    }

    /** A parameter is present but unusable; {@code problem} says why. */
    public static InvalidParametersException invalid(String parameter, String problem) {
        return new InvalidParametersException("parameter '" + parameter + "' " + problem, false);
    }

    /** Whether a required parameter was absent (as opposed to present but invalid). */
    public boolean isMissing() {
        return missing;
    }
}
