package io.modelcast.job.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A one-connection line server on loopback that sends its lines only once {@link #release()} is
 * called — for tests that must have the job's models loaded before the first record arrives — in
 * chunks, once or over and over at a bounded rate, and holds the connection open until it is closed.
 */
public final class GatedLinesServer implements AutoCloseable {

    private final ServerSocket server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final int chunk;
    private final boolean repeat;
    private volatile boolean closed;

    /** Sends {@code lines} once, 100 to a write (so they spread over the scoring subtasks). */
    public GatedLinesServer(List<String> lines) throws IOException {
        this(lines, 100, false);
    }

    /** Sends {@code lines} over and over, {@code chunk} lines every 5 ms, until closed. */
    public static GatedLinesServer repeating(List<String> lines, int chunk) throws IOException {
        return new GatedLinesServer(lines, chunk, true);
    }

    private GatedLinesServer(List<String> lines, int chunk, boolean repeat) throws IOException {
        this.chunk = chunk;
        this.repeat = repeat;
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread sender = new Thread(() -> serve(lines), "gated-lines-server");
        sender.setDaemon(true);
        sender.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Lets the lines go. */
    public void release() {
        released.countDown();
    }

    private void serve(List<String> lines) {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            released.await();
            do {
                for (int from = 0; from < lines.size() && !closed; from += chunk) {
                    out.write((String.join("\n", lines.subList(from, Math.min(lines.size(), from + chunk))) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (repeat) {
                        Thread.sleep(5);
                    }
                }
            } while (repeat && !closed);
            while (client.getInputStream().read() >= 0) {
                // The job sends nothing; read returns -1 when the job goes away.
            }
        } catch (IOException | InterruptedException e) {
            // The server closed, or the job went away.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
