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
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Seed mode: to every client that connects, sends a round ({@code 0\n}..{@code 19\n}, or the lines of
 * {@code --file}), waits the delay, and
 * again, until the client goes away or the server is closed. Clients may come and go (Flink's
 * socket source reconnects); each has its own thread. Logs one line per round, not per value.
 */
final class SeedServer implements Closeable {

    private final InetAddress host;
    private final int requestedPort;
    private final Duration delay;
    private final PrintWriter log;
    private final DemoLines lines;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> senders = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private ServerSocket serverSocket;

    SeedServer(InetAddress host, int port, Duration delay, DemoLines lines, PrintWriter log) {
        this.host = host;
        this.lines = lines;
        this.requestedPort = port;
        this.delay = delay;
        this.log = log;
    }

    /**
     * Binds the port and starts accepting clients in the background.
     *
     * @return the bound port (useful when 0 was asked for)
     */
    int start() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(host, requestedPort));
        Thread acceptor = new Thread(this::acceptClients, "tcpsource-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return serverSocket.getLocalPort();
    }

    private void acceptClients() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                clients.add(client);
                Thread sender = new Thread(() -> serve(client), "tcpsource-" + client.getPort());
                sender.setDaemon(true);
                senders.add(sender);
                sender.start();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    log("accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        String peer = client.getRemoteSocketAddress().toString();
        log("client " + peer + " connected");
        long round = 0;
        try (client;
                OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
            while (true) {
                lines.writeRound(out);
                out.flush();
                round++;
                log("round " + round + ": sent " + lines.describeRound() + " to " + peer);
                if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (SocketException e) {
            log("client " + peer + " disconnected after " + round + " rounds");
        } catch (IOException e) {
            log("client " + peer + " failed after " + round + " rounds: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
            senders.remove(Thread.currentThread());
        }
    }

    private void log(String message) {
        synchronized (log) {
            log.println(message);
            log.flush();
        }
    }

    /** Stops accepting, disconnects every client and waits (briefly) until each has logged its end. */
    @Override
    public void close() throws IOException {
        closed.countDown();
        if (serverSocket != null) {
            serverSocket.close();
        }
        for (Socket client : clients) {
            client.close();
        }
        for (Thread sender : senders) {
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
