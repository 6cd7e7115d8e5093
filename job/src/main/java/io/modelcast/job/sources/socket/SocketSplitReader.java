package io.modelcast.job.sources.socket;

import io.modelcast.job.records.LineBatch;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads lines from the socket of its split, in large reads, on the source's fetcher thread: one
 * {@link LineBatch} per read.
 * Never fails on the connection: while nothing listens it retries every {@code retryDelay}, and
 * when the server closes the connection it passes on the last line and connects again.
 */
final class SocketSplitReader implements SplitReader<LineBatch, SocketSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketSplitReader.class);

    /** How long a read blocks before the fetcher may look at its wake-up and close requests. */
    private static final int READ_TIMEOUT_MILLIS = 100;

    /** Short, so a close or a new split never waits long behind a connection attempt. */
    private static final int CONNECT_TIMEOUT_MILLIS = 500;

    private final String host;
    private final int port;
    private final String address;
    private final Duration retryDelay;
    private final byte[] buffer = new byte[64 * 1024];
    private final LineSplitter lines;
    private SocketSplit split;
    private Socket socket;
    private InputStream in;
    private long nextAttempt;
    private boolean warnedUnreachable;
    private volatile boolean wokenUp;

    SocketSplitReader(String host, int port, Duration retryDelay, int maxLineBytes) {
        this.host = host;
        this.port = port;
        this.address = host + ":" + port;
        this.retryDelay = retryDelay;
        this.lines = new LineSplitter(maxLineBytes);
    }

    @Override
    public RecordsWithSplitIds<LineBatch> fetch() throws IOException {
        wokenUp = false;
        if (split == null) {
            return nothing();
        }
        if (socket == null && !connect()) {
            return nothing();
        }
        LineBatch read;
        try {
            int count = in.read(buffer);
            if (count < 0) {
                // An orderly close: a last line without \n is still a line.
                LOG.info("{} closed the connection; reconnecting", address);
                read = lines.finish();
                disconnect();
            } else {
                read = lines.split(buffer, count);
            }
        } catch (SocketTimeoutException e) {
            return nothing();
        } catch (IOException e) {
            // A broken connection: the unfinished line may be cut anywhere ("123456" as "123"), drop it.
            LOG.warn("Reading from {} failed ({}); reconnecting", address, e.toString());
            lines.discard();
            disconnect();
            return nothing();
        }
        return read == null ? nothing() : new RecordsBySplits<>(Map.of(split.splitId(), List.of(read)), Set.of());
    }

    private boolean connect() {
        long now = System.nanoTime();
        if (now < nextAttempt) {
            pause((nextAttempt - now) / 1_000_000);
            return false;
        }
        Socket candidate = new Socket();
        try {
            candidate.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            if (connectedToItself(candidate)) {
                // Nothing listened, and Linux made the port the connection's own end: not a server.
                throw new IOException("connected to itself (nothing listens on " + address + ")");
            }
            candidate.setSoTimeout(READ_TIMEOUT_MILLIS);
            // A server whose host vanished would otherwise leave a half-open connection forever.
            candidate.setKeepAlive(true);
            setIfSupported(candidate, ExtendedSocketOptions.TCP_KEEPIDLE, 30);
            setIfSupported(candidate, ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
            setIfSupported(candidate, ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
            socket = candidate;
            in = candidate.getInputStream();
            warnedUnreachable = false;
            LOG.info("Connected to {}", address);
            return true;
        } catch (IOException e) {
            closeQuietly(candidate);
            if (!warnedUnreachable) {
                LOG.warn("Cannot connect to {} ({}); retrying every {} ms", address, e.toString(), retryDelay.toMillis());
                warnedUnreachable = true;
            }
            nextAttempt = System.nanoTime() + retryDelay.toNanos();
            return false;
        }
    }

    private static boolean connectedToItself(Socket socket) {
        return socket.getLocalPort() == socket.getPort() && socket.getLocalAddress().equals(socket.getInetAddress());
    }

    private static void setIfSupported(Socket socket, SocketOption<Integer> option, int value) {
        try {
            if (socket.supportedOptions().contains(option)) {
                socket.setOption(option, value);
            }
        } catch (IOException e) {
            // Keep-alive with the system's defaults, then.
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

    private static RecordsWithSplitIds<LineBatch> nothing() {
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
