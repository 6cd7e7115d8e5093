package io.modelcast.job.sources.socket;

import io.modelcast.job.records.LineBatch;

import java.util.Arrays;

/**
 * Cuts a byte stream into lines at {@code \n}, dropping a {@code \r} before it, across reads of any
 * size, and hands over the lines each read completes as one {@link LineBatch} — bytes, not strings:
 * a line is decoded only if something needs its text. A line longer than {@code maxLineBytes} is
 * passed on cut to that length (the parser then rejects it as too long) and the rest of it skipped,
 * so one endless line cannot take the heap. Not thread-safe.
 */
final class LineSplitter {

    private final int maxLineBytes;
    /** Completed lines ({@code [0, completed)}), then the line in progress ({@code lineLength} bytes). */
    private byte[] out = new byte[8 * 1024];
    private int completed;
    private int lineLength;
    private int[] ends = new int[256];
    private int count;
    /** Inside a line that was cut and passed on: drop bytes until its end. */
    private boolean skipping;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The lines completed by {@code buffer[0..length)}, or null if it completes none. */
    LineBatch split(byte[] buffer, int length) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                append(buffer, start, i - start);
                if (!skipping) {
                    complete(true);
                }
                skipping = false;
                start = i + 1;
            }
        }
        append(buffer, start, length - start);
        return drain();
    }

    /** After a broken connection: forgets the unfinished line, which may have been cut anywhere. */
    void discard() {
        lineLength = 0;
        skipping = false;
    }

    /** At the end of the stream: the last line, if it had no {@code \n}; or null. */
    LineBatch finish() {
        if (lineLength > 0 && !skipping) {
            complete(true);
        }
        discard();
        return drain();
    }

    private void append(byte[] buffer, int offset, int length) {
        if (skipping || length == 0) {
            return;
        }
        int taken = Math.min(length, maxLineBytes - lineLength);
        int needed = completed + lineLength + taken;
        if (needed > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, needed));
        }
        System.arraycopy(buffer, offset, out, completed + lineLength, taken);
        lineLength += taken;
        if (taken < length) {
            complete(false);
            skipping = true;
        }
    }

    private void complete(boolean dropCarriageReturn) {
        int end = completed + lineLength;
        if (dropCarriageReturn && lineLength > 0 && out[end - 1] == '\r') {
            end--;
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = end;
        completed = end;
        lineLength = 0;
    }

    /** The completed lines, sized exactly (a batch may wait in state); the line in progress stays. */
    private LineBatch drain() {
        if (count == 0) {
            return null;
        }
        LineBatch batch = new LineBatch(Arrays.copyOf(out, completed), Arrays.copyOf(ends, count), count);
        System.arraycopy(out, completed, out, 0, lineLength);
        completed = 0;
        count = 0;
        return batch;
    }
}
