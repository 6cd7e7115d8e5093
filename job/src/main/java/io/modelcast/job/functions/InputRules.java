package io.modelcast.job.functions;

/**
 * What a valid input is, wherever it comes from: text of at most {@link #MAX_INPUT_LENGTH}
 * characters holding one 64-bit integer, with white space around it allowed.
 */
public final class InputRules {

    /** Longer inputs are rejected: no 64-bit integer needs more, with room for white space. */
    public static final int MAX_INPUT_LENGTH = 64;

    private InputRules() {}

    /**
     * The integer an input holds.
     *
     * @throws InvalidInputException with the reason, if it holds none
     */
    public static long parse(String input) throws InvalidInputException {
        if (input.length() > MAX_INPUT_LENGTH) {
            throw new InvalidInputException("longer than " + MAX_INPUT_LENGTH + " characters");
        }
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
