package io.modelcast.job.parse;

/**
 * What a valid integer input's text is: one 64-bit integer, with white space around it allowed. Its
 * length and encoding are checked before, in bytes ({@link InputParser}).
 */
public final class InputRules {

    private InputRules() {}

    /**
     * The integer an input holds.
     *
     * @throws InvalidInputException with the reason, if it holds none
     */
    public static long parse(String input) throws InvalidInputException {
        String text = input.strip();
        if (text.isEmpty()) {
            throw new InvalidInputException("empty");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    text.matches("[+-]?[0-9]+") ? "integer out of the 64-bit range" : "not an integer");
        }
    }

    /** An input that is not valid; the message is the reason. Cheap: no stack trace. */
    public static final class InvalidInputException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidInputException(String reason) {
            super(reason, null, false, false);
        }
    }
}
