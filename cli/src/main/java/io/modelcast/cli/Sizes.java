package io.modelcast.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them on a command line: {@code 65536}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})\\s*(b|kib|mib|gib)?");

    private Sizes() {}

    /**
     * Parses a size in bytes.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "': write a whole number of bytes, or one with a unit (KiB, MiB, GiB), for example 64MiB");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        return switch (unit) {
            case "kib" -> Math.multiplyExact(amount, 1024L);
            case "mib" -> Math.multiplyExact(amount, 1024L * 1024);
            case "gib" -> Math.multiplyExact(amount, 1024L * 1024 * 1024);
            default -> amount;
        };
    }
}
