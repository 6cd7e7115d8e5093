package io.modelcast.job.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on loopback that takes HTTP requests and never answers them: calls to it stay in
 * flight until the caller gives up. Counts the requests ({@code POST} lines) it has received.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> clients = new ArrayList<>();

    public SilentServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many requests have arrived. */
    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                synchronized (clients) {
                    clients.add(client);
                }
                Thread reader = new Thread(() -> read(client), "silent-server-client");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket client) {
        byte[] buffer = new byte[8192];
        StringBuilder seen = new StringBuilder();
        try (InputStream in = client.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                for (int at; (at = seen.indexOf("POST ")) >= 0; ) {
                    requests.incrementAndGet();
                    seen.delete(0, at + 5);
                }
                if (seen.length() > 8) {
                    seen.delete(0, seen.length() - 8);
                }
            }
        } catch (IOException e) {
            // The caller went away, or the server closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (clients) {
            for (Socket client : clients) {
                client.close();
            }
        }
    }
}
