package io.modelcast.model;

/**
 * The check every model passes before the job broadcasts it: it must score a fixed set of probe
 * inputs — small, large, negative, extreme — without throwing and without returning null.
 */
public final class ModelProbe {

    /** The probe inputs. */
    public static final long[] INPUTS = {0, 1, 7, 19, 20, 123, -7, Long.MAX_VALUE, Long.MIN_VALUE};

    private ModelProbe() {}

    /**
     * Scores every probe input.
     *
     * @throws ProbeFailedException naming the input and what went wrong
     */
    public static void check(Model model) throws ProbeFailedException {
        for (long input : INPUTS) {
            String output;
            try {
                output = model.transform(input);
            } catch (RuntimeException | StackOverflowError e) {
                throw new ProbeFailedException("fails on probe input " + input + ": " + e, e);
            }
            if (output == null) {
                throw new ProbeFailedException("returns nothing for probe input " + input, null);
            }
        }
    }

    /** A model that failed its probe. */
    public static final class ProbeFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
