package io.modelcast.job.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A TCP server on loopback that sends {@code i % 20} lines, a few hundred a second, to each client. */
public final class NumberServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread acceptor;

    public NumberServer() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "number-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread sender = new Thread(() -> send(client), "number-server-client");
                sender.setDaemon(true);
                sender.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void send(Socket client) {
        try (client; OutputStream out = client.getOutputStream()) {
            for (long i = 0; ; i++) {
                out.write((i % 20 + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(2);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or the server closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
