package io.modelcast.tcpsource;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sends {@code count} lines at a fixed rate: line {@code k} is due {@code k / rate} seconds after
 * the start, and all lines due are sent at once, so the rate holds on average even when a send or
 * a wake-up is late.
 */
final class Pacer {

    /** Sends lines {@code first} to {@code first + count - 1}. */
    @FunctionalInterface
    interface Sender {
        void send(long first, long count) throws IOException;
    }

    private Pacer() {}

    static void send(long count, long linesPerSecond, Sender sender) throws IOException {
        send(count, linesPerSecond, start -> {}, sender);
    }

    /**
     * As above; {@code started} is told when line 0 is due, in {@link System#nanoTime()} (on Linux
     * the monotonic clock every process on the machine shares, so a benchmark can time each line
     * from when it was due).
     */
    static void send(long count, long linesPerSecond, LongConsumer started, Sender sender) throws IOException {
        double nanosPerLine = 1e9 / linesPerSecond;
        long start = System.nanoTime();
        started.accept(start);
        long sent = 0;
        while (sent < count) {
            long elapsed = System.nanoTime() - start;
            long due = Math.min(count, (long) (elapsed / nanosPerLine) + 1);
            if (due > sent) {
                sender.send(sent, due - sent);
                sent = due;
            } else {
                LockSupport.parkNanos((long) (sent * nanosPerLine) - elapsed);
            }
        }
    }
}
