package io.modelcast.tcpsource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The lines tcpsource sends, round after round: by default {@code 0\n} to {@code 19\n}, the seed
 * project's sequence; with {@code --file}, the lines of a file (feature vectors for a feature
 * model, say). Line {@code i} of the endless stream is line {@code i % roundLength()} of a round.
 *
 * <p>Lines are cut from one large pre-built buffer of whole rounds (about a megabyte, at least one
 * round), so sending many of them costs one socket write per buffer, not one per line.
 */
final class DemoLines {

    /** Values per round of the seed sequence: 0..19. */
    static final int SEED_ROUND = 20;

    private static final int BUFFER_BYTES = 1 << 20;

    private final List<String> round;
    private final byte[] buffer;
    private final int[] offsetInRound;
    private final int roundBytes;
    private final int roundsInBuffer;

    /** The seed sequence, 0..19. */
    DemoLines() {
        this(IntStream.range(0, SEED_ROUND).mapToObj(Integer::toString).toList());
    }

    /** The given lines as one round; none may hold a line break. */
    DemoLines(List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no lines to send");
        }
        round = List.copyOf(lines);
        offsetInRound = new int[round.size() + 1];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < round.size(); i++) {
            if (round.get(i).indexOf('\n') >= 0 || round.get(i).indexOf('\r') >= 0) {
                throw new IllegalArgumentException("line " + (i + 1) + " holds a line break");
            }
            text.append(round.get(i)).append('\n');
        }
        byte[] roundUtf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        // Offsets in bytes, not characters.
        int bytes = 0;
        for (int i = 0; i < round.size(); i++) {
            offsetInRound[i] = bytes;
            bytes += round.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        offsetInRound[round.size()] = bytes;
        roundBytes = roundUtf8.length;
        roundsInBuffer = Math.max(1, BUFFER_BYTES / roundBytes);
        buffer = new byte[roundBytes * roundsInBuffer];
        for (int i = 0; i < roundsInBuffer; i++) {
            System.arraycopy(roundUtf8, 0, buffer, i * roundBytes, roundBytes);
        }
    }

    /**
     * The non-empty lines of a UTF-8 file, as one round.
     *
     * @throws IOException if it cannot be read or holds no line
     */
    static DemoLines fromFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        if (lines.isEmpty()) {
            throw new IOException(file + " holds no line to send");
        }
        return new DemoLines(lines);
    }

    /** Lines per round. */
    int roundLength() {
        return round.size();
    }

    /** Line {@code i} of the endless stream, without its line break. */
    String line(long i) {
        return round.get((int) (i % round.size()));
    }

    /** How a round is described in logs: {@code 0..19}, or the file's line count. */
    String describeRound() {
        return round.size() == SEED_ROUND && round.get(0).equals("0") && round.get(SEED_ROUND - 1).equals("19")
                ? "0..19"
                : round.size() + " lines";
    }

    /** Writes one round. */
    void writeRound(OutputStream out) throws IOException {
        out.write(buffer, 0, roundBytes);
    }

    /** Writes lines {@code first} to {@code first + count - 1} of the endless stream. */
    void writeLines(OutputStream out, long first, long count) throws IOException {
        long line = first;
        long remaining = count;
        while (remaining > 0) {
            int startInRound = (int) (line % round.size());
            long linesInBuffer = (long) roundsInBuffer * round.size() - startInRound;
            int chunk = (int) Math.min(remaining, linesInBuffer);
            int from = offsetInRound[startInRound];
            int end = offsetOf(startInRound + chunk);
            out.write(buffer, from, end - from);
            line += chunk;
            remaining -= chunk;
        }
    }

    private int offsetOf(int lineInBuffer) {
        return (lineInBuffer / round.size()) * roundBytes + offsetInRound[lineInBuffer % round.size()];
    }
}
