package io.modelcast.tcpsource;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Load mode: serves one client {@code count} lines ({@code i % 20}), as fast as it reads them or at
 * a fixed rate, then closes the connection.
 */
final class LoadServer implements Closeable {

    private final long count;
    private final OptionalLong linesPerSecond;
    private final PrintWriter log;
    private final DemoLines lines;
    private final ServerSocket serverSocket;
    private volatile Socket client;

    LoadServer(InetAddress host, int port, long count, OptionalLong linesPerSecond, DemoLines lines, PrintWriter log)
            throws IOException {
        this.count = count;
        this.lines = lines;
        this.linesPerSecond = linesPerSecond;
        this.log = log;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(host, port));
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** What the log says, followed by a {@link System#nanoTime()}, when line 0 of a paced feed is due. */
    static final String LINE_ZERO_DUE = "paced: line 0 due at nanoTime ";

    /** Waits for one client, sends it every line, closes. Returns the number of lines sent. */
    long serveOneClient() throws IOException {
        try (Socket accepted = serverSocket.accept();
                OutputStream out = new BufferedOutputStream(accepted.getOutputStream(), 1 << 20)) {
            client = accepted;
            serverSocket.close();
            String peer = accepted.getRemoteSocketAddress().toString();
            log.println("client " + peer + " connected, sending " + count + " lines");
            log.flush();
            long start = System.nanoTime();
            if (linesPerSecond.isPresent()) {
                Pacer.send(count, linesPerSecond.getAsLong(), due -> {
                    log.println(LINE_ZERO_DUE + due);
                    log.flush();
                }, (first, lineCount) -> {
                    lines.writeLines(out, first, lineCount);
                    out.flush();
                });
            } else {
                lines.writeLines(out, 0, count);
            }
            out.flush();
            accepted.shutdownOutput();
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            log.printf(
                    Locale.ROOT,
                    "sent %d lines to %s in %.3f s (%.0f lines/s)%n",
                    count,
                    peer,
                    seconds,
                    count / seconds);
            log.flush();
            return count;
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        Socket current = client;
        if (current != null) {
            current.close();
        }
    }
}
