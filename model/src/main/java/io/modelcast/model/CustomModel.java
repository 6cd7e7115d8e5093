package io.modelcast.model;

/**
 * The seed model of the project: it zero-pads an integer to two digits and repeats it three times
 * when cloned, once when not ({@code transform(7)} is {@code "070707"} or {@code "07"}).
 *
 * <p>Padding follows Python's {@code str(n).zfill(2)}: zeros go after a leading minus sign, and
 * numbers that already have two or more characters are left as they are ({@code -7} stays {@code
 * "-7"}, {@code 123} stays {@code "123"}).
 */
public final class CustomModel implements IntegerModel {

    /** The type name written in model files. */
    public static final String TYPE = "custom";

    private final boolean cloned;

    public CustomModel(boolean cloned) {
        this.cloned = cloned;
    }

    public boolean isCloned() {
        return cloned;
    }

    /** The model a fit produces from this one: the same model with {@code isCloned} flipped. */
    public CustomModel flipped() {
        return new CustomModel(!cloned);
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    @Override
    public String transform(long input) {
        String padded = zeroPadToTwo(input);
        return cloned ? padded + padded + padded : padded;
    }

    private static String zeroPadToTwo(long input) {
        if (input >= 0 && input < 10) {
            return "0" + input;
        }
        // Negative numbers have at least two characters ("-7"), so zfill(2) leaves them alone.
        return Long.toString(input);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CustomModel && ((CustomModel) other).cloned == cloned;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(cloned);
    }

    @Override
    public String toString() {
        return "CustomModel{isCloned=" + cloned + "}";
    }
}
