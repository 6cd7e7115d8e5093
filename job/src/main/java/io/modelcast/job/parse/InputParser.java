package io.modelcast.job.parse;

import io.modelcast.job.InputFormat;
import io.modelcast.job.parse.InputRules.InvalidInputException;
import io.modelcast.job.records.InputBatchBuilder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one definition of a valid input, for socket lines and Kafka record values alike. An input is
 * its bytes, and it is valid if it is, in this order (the first rule broken is the reason given):
 *
 * <ol>
 *   <li>at most {@link InputFormat#maxInputBytes} bytes — "longer than N bytes";
 *   <li>valid UTF-8 — "not valid UTF-8";
 *   <li>not empty or white space only — "empty";
 *   <li>for {@code int}, one 64-bit integer with white space around it ({@link InputRules}); for
 *       {@code csv} and {@code json}, a feature vector ({@link FeatureRules}).
 * </ol>
 *
 * Plain ASCII integers — nearly every input of the seed workload — are read straight from the bytes,
 * without a string; they are valid UTF-8 and follow the same rules. Not thread-safe: one per operator
 * instance.
 */
public final class InputParser {

    private final InputFormat format;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final FeatureRules featureRules = new FeatureRules();

    private byte[] bytes;
    private int offset;
    private int length;
    /** The input's text once decoded; null until something needs it. */
    private String text;
    private long value;
    private String reason;

    public InputParser(InputFormat format) {
        this.format = format;
    }

    /**
     * Parses {@code bytes[offset, offset + length)}. If it is valid, {@link #value()} (or the
     * features) hold what it holds; if not, {@link #reason()} says why.
     */
    public boolean accept(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.text = null;
        this.reason = null;
        if (length > format.maxInputBytes()) {
            return reject("longer than " + format.maxInputBytes() + " bytes");
        }
        if (!format.hasFeatures() && parseAsciiInteger(bytes, offset, offset + length)) {
            return true;
        }
        try {
            text = utf8.reset().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return reject("not valid UTF-8");
        }
        try {
            if (format.hasFeatures()) {
                featureRules.parse(text, format);
            } else {
                value = InputRules.parse(text);
            }
        } catch (InvalidInputException e) {
            return reject(e.getMessage());
        }
        return true;
    }

    private boolean reject(String why) {
        reason = why;
        return false;
    }

    /**
     * Whether {@code bytes[start, end)} is ASCII white space, an optional sign, 1 to 18 digits and
     * white space; if so its value is in {@link #value}. Anything else — longer numbers, other
     * characters — is for {@link InputRules#parse} to judge, so both accept exactly the same inputs.
     */
    private boolean parseAsciiInteger(byte[] bytes, int start, int end) {
        while (start < end && isAsciiWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isAsciiWhitespace(bytes[end - 1])) {
            end--;
        }
        boolean negative = false;
        if (start < end && (bytes[start] == '-' || bytes[start] == '+')) {
            negative = bytes[start] == '-';
            start++;
        }
        int digits = end - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        long parsed = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            parsed = parsed * 10 + digit;
        }
        value = negative ? -parsed : parsed;
        return true;
    }

    /** What {@link String#strip} removes, among ASCII characters. */
    private static boolean isAsciiWhitespace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
    }

    /** Why the input parsed last is not valid. */
    public String reason() {
        return reason;
    }

    /** The integer the input parsed last holds ({@code int} inputs). */
    public long value() {
        return value;
    }

    /** Gives the input {@code batch} added last the features and id of the input parsed last. */
    public void addFeaturesTo(InputBatchBuilder batch) {
        featureRules.addTo(batch);
    }

    /** A copy of the features of the input parsed last ({@code csv}, {@code json}). */
    public float[] features() {
        return featureRules.features();
    }

    /** The model name of the input parsed last, or null if it names none. */
    public String model() {
        return format.hasFeatures() ? featureRules.model() : null;
    }

    /** The id of the input parsed last, or null. */
    public String id() {
        return featureRules.id();
    }

    /** The text of the input parsed last, if it was valid. */
    public String text() {
        if (text == null) {
            text = new String(bytes, offset, length, StandardCharsets.US_ASCII);
        }
        return text;
    }

    /**
     * Up to {@code maxChars} characters of an input's bytes, for a rejection that shows them:
     * malformed UTF-8 shown as U+FFFD, the rest cut with an ellipsis.
     */
    public static String shown(byte[] bytes, int offset, int length, int maxChars) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, offset, length));
        return chars.length() > maxChars ? chars.subSequence(0, maxChars) + "…" : chars.toString();
    }
}
