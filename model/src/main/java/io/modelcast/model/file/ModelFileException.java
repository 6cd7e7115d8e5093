package io.modelcast.model.file;

/**
 * A model file that cannot be used. The message names the file and the problem, and {@link
 * #reason()} classifies it for counters, side outputs and tests.
 */
public final class ModelFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a model file was refused. */
    public enum Reason {
        /** The file could not be read, for example because it disappeared after it was listed. */
        UNREADABLE("cannot be read"),
        /** The file has no bytes. */
        EMPTY("is empty"),
        /** The file is larger than the configured limit. */
        TOO_LARGE("is too large"),
        /** The content is not one well-formed JSON object (for example a half-written file). */
        BAD_JSON("is not valid JSON"),
        /** A required field is absent. */
        MISSING_FIELD("lacks a required field"),
        /** A field is present but has the wrong form. */
        INVALID_FIELD("has an invalid field"),
        /** The file was written in a format version this build does not read. */
        UNSUPPORTED_FORMAT_VERSION("has an unsupported format version"),
        /** The model type is not one this build knows. */
        UNKNOWN_TYPE("has an unknown model type"),
        /** The parameters do not match their checksum: the file was altered or damaged. */
        CHECKSUM_MISMATCH("fails its checksum"),
        /** The parameters cannot build a model of the declared type. */
        INVALID_PARAMETERS("has invalid parameters"),
        /** The rollout section of a challenger is incomplete or out of range. */
        INVALID_ROLLOUT("has an invalid rollout"),
        /** The feature spec is not one, or does not fit the model. */
        INVALID_FEATURE_SPEC("has an invalid feature spec");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** A phrase that completes "model file X …". */
        public String description() {
            return description;
        }
    }

    private final String source;
    private final Reason reason;
    private final String detail;

    public ModelFileException(String source, Reason reason, String detail) {
        this(source, reason, detail, null);
    }

    public ModelFileException(String source, Reason reason, String detail, Throwable cause) {
        super("model file " + source + " " + reason.description() + ": " + detail, cause);
        this.source = source;
        this.reason = reason;
        this.detail = detail;
    }

    /** The file (or other source) the problem was found in. */
    public String source() {
        return source;
    }

    public Reason reason() {
        return reason;
    }

    /** The problem, without the file name. */
    public String detail() {
        return detail;
    }
}
