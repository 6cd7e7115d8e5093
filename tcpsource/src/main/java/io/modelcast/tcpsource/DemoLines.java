package io.modelcast.tcpsource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines tcpsource sends: {@code 0\n} to {@code 19\n}, the seed project's sequence, and in load
 * mode that sequence repeated. Line {@code i} of the stream is {@code i % 20}.
 *
 * <p>Lines are cut from one large pre-built buffer of whole rounds, so sending many of them costs
 * one socket write per megabyte, not one per line.
 */
final class DemoLines {

    /** Values per round: 0..19. */
    static final int ROUND = 20;

    private static final int ROUNDS_IN_BUFFER = 20_000;

    private final byte[] buffer;
    private final int[] offsetInRound = new int[ROUND + 1];
    private final int roundBytes;

    DemoLines() {
        StringBuilder round = new StringBuilder();
        for (int value = 0; value < ROUND; value++) {
            offsetInRound[value] = round.length();
            round.append(value).append('\n');
        }
        offsetInRound[ROUND] = round.length();
        byte[] roundAscii = round.toString().getBytes(StandardCharsets.US_ASCII);
        roundBytes = roundAscii.length;
        buffer = new byte[roundBytes * ROUNDS_IN_BUFFER];
        for (int i = 0; i < ROUNDS_IN_BUFFER; i++) {
            System.arraycopy(roundAscii, 0, buffer, i * roundBytes, roundBytes);
        }
    }

    /** Writes one round, {@code 0\n} to {@code 19\n}. */
    void writeRound(OutputStream out) throws IOException {
        out.write(buffer, 0, roundBytes);
    }

    /** Writes lines {@code first} to {@code first + count - 1} of the endless stream. */
    void writeLines(OutputStream out, long first, long count) throws IOException {
        long line = first;
        long remaining = count;
        while (remaining > 0) {
            int startInRound = (int) (line % ROUND);
            long linesInBuffer = (long) ROUNDS_IN_BUFFER * ROUND - startInRound;
            int chunk = (int) Math.min(remaining, linesInBuffer);
            int from = offsetInRound[startInRound];
            int end = offsetOf(startInRound + chunk);
            out.write(buffer, from, end - from);
            line += chunk;
            remaining -= chunk;
        }
    }

    private int offsetOf(int lineInBuffer) {
        return (lineInBuffer / ROUND) * roundBytes + offsetInRound[lineInBuffer % ROUND];
    }
}
