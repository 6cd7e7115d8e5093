package io.modelcast.model.file;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785): the one serialization of a JSON value that
 * format-2 model files take their checksum over, so that any language can compute it.
 *
 * <ul>
 *   <li>No white space; object members sorted by their names' UTF-16 code units (what
 *       {@link String#compareTo} compares).
 *   <li>Strings: {@code "} and {@code \} escaped, {@code \b \f \n \r \t} as such, other characters
 *       below U+0020 as <code>&#92;u00xx</code> (lowercase hex); everything else as it is, in UTF-8.
 *   <li>Numbers: every number is an IEEE-754 double, written as ECMAScript's
 *       {@code Number.prototype.toString} writes it — the shortest digits that read back to the
 *       same double, {@code 1e+21} and {@code 1e-7} past the plain-notation range, {@code -0} as
 *       {@code 0}. Integers beyond 2<sup>53</sup> therefore lose digits, as in every JCS
 *       implementation.
 * </ul>
 *
 * <p>Limits: infinite numbers (a literal such as {@code 1e400}) have no JSON form and are refused;
 * lone surrogates in strings are refused. Stateless and thread-safe.
 */
public final class JsonCanonicalization {

    private JsonCanonicalization() {}

    /**
     * The canonical form of a value.
     *
     * @throws IllegalArgumentException if it holds an infinite number or a lone surrogate
     */
    public static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(names.get(i), out);
                out.append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isNumber()) {
            out.append(number(node.doubleValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isNull()) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c)
                                && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1));
                        if (!paired) {
                            throw new IllegalArgumentException(
                                    "a string holds a lone surrogate at index " + i + ", which JSON text cannot carry");
                        }
                        out.append(c).append(text.charAt(++i));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A double as ECMAScript writes it (ECMA-262, Number::toString). Java's own
     * {@link Double#toString} is not always the shortest before JDK 19, so the digits are found
     * here: the fewest significant digits whose nearest double is {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is infinite or NaN
     */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(value + " has no JSON form; numbers must be finite");
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal shortest = shortestDigits(value);
        String sign = value < 0 ? "-" : "";
        String digits = shortest.unscaledValue().abs().toString();
        int k = digits.length();
        // value = digits × 10^(n − k)
        int n = k - shortest.scale();
        StringBuilder out = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value}, closest to it.
     * Reading back holds for every precision from the shortest one up, and Java's own digits always
     * read back, so the search walks down from their count: one or two steps for most doubles.
     */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        int precision = new BigDecimal(Double.toString(value)).stripTrailingZeros().precision();
        BigDecimal best = closestReadingBack(exact, value, precision);
        while (precision > 1) {
            BigDecimal shorter = closestReadingBack(exact, value, precision - 1);
            if (shorter == null) {
                break;
            }
            best = shorter;
            precision--;
        }
        if (best == null) {
            throw new AssertionError("Double.toString's digits always read back: " + value);
        }
        return best.stripTrailingZeros();
    }

    /** Of the decimals of {@code precision} digits next to {@code exact}, the closest that reads back; or null. */
    private static BigDecimal closestReadingBack(BigDecimal exact, double value, int precision) {
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.UP, RoundingMode.DOWN}) {
            BigDecimal candidate = exact.round(new MathContext(precision, mode));
            if (candidate.doubleValue() == value
                    && (best == null
                            || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best;
    }
}
