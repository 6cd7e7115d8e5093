package io.modelcast.job.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A TCP server on loopback that sends a fixed list of lines to its first client and then keeps the
 * connection open without sending more, so a test knows exactly what the job has read.
 */
public final class FixedLinesServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread sender;

    public FixedLinesServer(List<String> lines) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        sender = new Thread(() -> serve(lines), "fixed-lines-server");
        sender.setDaemon(true);
        sender.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve(List<String> lines) {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            // Held open until the server closes: a closed connection would make the source reconnect.
            while (client.getInputStream().read() >= 0) {
                // The job sends nothing; read returns -1 when the job goes away.
            }
        } catch (IOException e) {
            // The server closed, or the job went away.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
