package io.modelcast.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them on a command line: {@code 500ms}, {@code 5s}, {@code 1m}, {@code
 * 2h}, {@code 1d}, or combined, {@code 1m30s}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher matcher = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int position = 0;
        while (position < trimmed.length() && matcher.find(position) && matcher.start() == position) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(
                    switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            position = matcher.end();
        }
        if (trimmed.isEmpty() || position != trimmed.length()) {
            throw new IllegalArgumentException(
                    "invalid duration '"
                            + text
                            + "': write a whole number and a unit (ms, s, m, h, d),"
                            + " for example 500ms, 5s, 1m or 1m30s");
        }
        return total;
    }

    /** Formats a duration the way {@link #parse} reads it, in its largest exact unit. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
