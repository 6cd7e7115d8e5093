package io.modelcast.job.sources.socket;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads lines from the socket of its split, in large reads, on the source's fetcher thread.
 * Never fails on the connection: while nothing listens it retries every {@code retryDelay}, and
 * when the server closes the connection it passes on the last line and connects again.
 */
final class SocketSplitReader implements SplitReader<String, SocketSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketSplitReader.class);

    /** How long a read blocks before the fetcher may look at its wake-up and close requests. */
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final Duration retryDelay;
    private final byte[] buffer = new byte[64 * 1024];
    private final LineSplitter lines;
    private SocketSplit split;
    private Socket socket;
    private InputStream in;
    private long nextAttempt;
    private boolean warnedUnreachable;
    private volatile boolean wokenUp;

    SocketSplitReader(Duration retryDelay, int maxLineBytes) {
        this.retryDelay = retryDelay;
        this.lines = new LineSplitter(maxLineBytes);
    }

    @Override
    public RecordsWithSplitIds<String> fetch() throws IOException {
        wokenUp = false;
        if (split == null) {
            return nothing();
        }
        if (socket == null && !connect()) {
            return nothing();
        }
        List<String> read = new ArrayList<>();
        try {
            int count = in.read(buffer);
            if (count < 0) {
                LOG.info("{} closed the connection; reconnecting", split.splitId());
                lines.finish(read);
                disconnect();
            } else {
                lines.split(buffer, count, read);
            }
        } catch (SocketTimeoutException e) {
            return nothing();
        } catch (IOException e) {
            LOG.warn("Reading from {} failed ({}); reconnecting", split.splitId(), e.toString());
            lines.finish(read);
            disconnect();
        }
        return read.isEmpty() ? nothing() : new RecordsBySplits<>(Map.of(split.splitId(), read), Set.of());
    }

    private boolean connect() {
        long now = System.nanoTime();
        if (now < nextAttempt) {
            pause((nextAttempt - now) / 1_000_000);
            return false;
        }
        Socket candidate = new Socket();
        try {
            candidate.connect(new InetSocketAddress(split.host(), split.port()), (int) Math.max(1000, retryDelay.toMillis()));
            candidate.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket = candidate;
            in = candidate.getInputStream();
            warnedUnreachable = false;
            LOG.info("Connected to {}", split.splitId());
            return true;
        } catch (IOException e) {
            closeQuietly(candidate);
            if (!warnedUnreachable) {
                LOG.warn("Cannot connect to {} ({}); retrying every {} ms", split.splitId(), e.toString(), retryDelay.toMillis());
                warnedUnreachable = true;
            }
            nextAttempt = System.nanoTime() + retryDelay.toNanos();
            return false;
        }
    }

    /** Waits up to {@code millis}, or until woken up, without blocking the fetcher for long. */
    private void pause(long millis) {
        long end = System.currentTimeMillis() + Math.min(millis, READ_TIMEOUT_MILLIS);
        while (!wokenUp && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void disconnect() {
        closeQuietly(socket);
        socket = null;
        in = null;
        nextAttempt = System.nanoTime() + retryDelay.toNanos();
    }

    private static RecordsWithSplitIds<String> nothing() {
        return new RecordsBySplits<>(Map.of(), Set.of());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SocketSplit> splitsChange) {
        if (splitsChange instanceof SplitsAddition<SocketSplit> addition && !addition.splits().isEmpty()) {
            split = addition.splits().get(0);
        }
    }

    @Override
    public void wakeUp() {
        wokenUp = true;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}
