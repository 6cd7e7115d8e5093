package io.modelcast.job.sources.socket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into lines at {@code \n}, dropping a {@code \r} before it, across reads of any
 * size. A line longer than {@code maxLineBytes} is passed on cut to that length (the parser then
 * rejects it as too long) and the rest of it skipped, so one endless line cannot take the heap.
 * Bytes are decoded as UTF-8; malformed bytes become U+FFFD. Not thread-safe.
 */
final class LineSplitter {

    private final int maxLineBytes;
    private byte[] partial = new byte[256];
    private int partialLength;
    /** Inside a line that was cut and passed on: drop bytes until its end. */
    private boolean skipping;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Adds the lines completed by {@code buffer[0..length)} to {@code lines}. */
    void split(byte[] buffer, int length, List<String> lines) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                append(buffer, start, i - start, lines);
                if (!skipping) {
                    lines.add(take(true));
                }
                partialLength = 0;
                skipping = false;
                start = i + 1;
            }
        }
        append(buffer, start, length - start, lines);
    }

    /** After a broken connection: forgets the unfinished line, which may have been cut anywhere. */
    void discard() {
        partialLength = 0;
        skipping = false;
    }

    /** At the end of the stream: the last line, if it had no {@code \n}. */
    void finish(List<String> lines) {
        if (partialLength > 0 && !skipping) {
            lines.add(take(true));
        }
        partialLength = 0;
        skipping = false;
    }

    private void append(byte[] buffer, int offset, int count, List<String> lines) {
        if (skipping || count == 0) {
            return;
        }
        int taken = Math.min(count, maxLineBytes - partialLength);
        if (partialLength + taken > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partial.length * 2, partialLength + taken)));
        }
        System.arraycopy(buffer, offset, partial, partialLength, taken);
        partialLength += taken;
        if (taken < count) {
            lines.add(take(false));
            partialLength = 0;
            skipping = true;
        }
    }

    private String take(boolean dropCarriageReturn) {
        int end = partialLength;
        if (dropCarriageReturn && end > 0 && partial[end - 1] == '\r') {
            end--;
        }
        return new String(partial, 0, end, StandardCharsets.UTF_8);
    }
}
