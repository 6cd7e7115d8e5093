package io.modelcast.tcpsource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class ServersTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final StringWriter log = new StringWriter();

    @Test
    void seedModeSendsZeroToNineteenInRoundsAndLogsOneLinePerRound() throws Exception {
        try (SeedServer server = new SeedServer(LOOPBACK, 0, Duration.ofMillis(50), new DemoLines(), new PrintWriter(log));
                Socket client = new Socket(LOOPBACK, server.start())) {
            client.setSoTimeout(10_000);
            BufferedReader reader = reader(client);

            List<String> threeRounds = readLines(reader, 60);

            for (int i = 0; i < 60; i++) {
                assertThat(threeRounds.get(i)).isEqualTo(Integer.toString(i % 20));
            }
        }
        // close() waits for the client's thread, so its log lines are all written by now.
        assertThat(log.toString().lines().filter(l -> l.startsWith("round "))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(log.toString()).contains("round 3: sent 0..19 to /127.0.0.1:");
    }

    @Test
    void seedModeSendsTheLinesOfAFileInRounds() throws Exception {
        DemoLines file = new DemoLines(List.of("0.5,1.5", "{\"id\": \"é\", \"features\": [1]}", "-2,3"));
        try (SeedServer server = new SeedServer(LOOPBACK, 0, Duration.ofMillis(20), file, new PrintWriter(log));
                Socket client = new Socket(LOOPBACK, server.start())) {
            client.setSoTimeout(10_000);

            assertThat(readLines(reader(client), 6)).containsExactly(
                    "0.5,1.5", "{\"id\": \"é\", \"features\": [1]}", "-2,3",
                    "0.5,1.5", "{\"id\": \"é\", \"features\": [1]}", "-2,3");
        }
        assertThat(log.toString()).contains("sent 3 lines to /127.0.0.1:");
    }

    @Test
    void seedModeServesAClientThatReconnects() throws Exception {
        try (SeedServer server = new SeedServer(LOOPBACK, 0, Duration.ofMillis(20), new DemoLines(), new PrintWriter(log))) {
            int port = server.start();
            for (int connection = 0; connection < 3; connection++) {
                try (Socket client = new Socket(LOOPBACK, port)) {
                    client.setSoTimeout(10_000);
                    assertThat(readLines(reader(client), 20)).first().isEqualTo("0");
                }
            }
        }
    }

    @Test
    void loadModeSendsExactlyCountLinesThenClosesTheConnection() throws Exception {
        try (LoadServer server = new LoadServer(LOOPBACK, 0, 1_234_567, OptionalLong.empty(), new DemoLines(), new PrintWriter(log))) {
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> serve(server));
            try (Socket client = new Socket(LOOPBACK, server.port())) {
                client.setSoTimeout(30_000);
                BufferedReader reader = reader(client);
                long count = 0;
                for (String line; (line = reader.readLine()) != null; count++) {
                    if (!line.equals(Long.toString(count % 20))) {
                        throw new AssertionError("line " + count + " is " + line);
                    }
                }
                assertThat(count).isEqualTo(1_234_567);
            }
            assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(1_234_567);
        }
        assertThat(log.toString()).contains("sent 1234567 lines");
    }

    @Test
    void loadModeWithARateTakesAtLeastCountOverRateSeconds() throws Exception {
        // 300 lines at 1,000/s cannot arrive in less than 0.299 s; only the lower bound is
        // checked, since a busy machine may always be slower.
        try (LoadServer server = new LoadServer(LOOPBACK, 0, 300, OptionalLong.of(1_000), new DemoLines(), new PrintWriter(log))) {
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> serve(server));
            // Timed from before the connection: the server cannot start pacing earlier.
            long connecting = System.nanoTime();
            try (Socket client = new Socket(LOOPBACK, server.port())) {
                client.setSoTimeout(30_000);
                BufferedReader reader = reader(client);
                long count = 0;
                while (reader.readLine() != null) {
                    count++;
                }
                long elapsedMillis = (System.nanoTime() - connecting) / 1_000_000;
                assertThat(count).isEqualTo(300);
                assertThat(elapsedMillis).isGreaterThanOrEqualTo(290);
            }
            assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(300);
            // When line 0 was due, for a benchmark that times each line from then.
            String due = log.toString().lines().filter(l -> l.startsWith(LoadServer.LINE_ZERO_DUE)).findFirst().orElseThrow();
            assertThat(Long.parseLong(due.substring(LoadServer.LINE_ZERO_DUE.length()))).isBetween(connecting, System.nanoTime());
        }
    }

    private static long serve(LoadServer server) {
        try {
            return server.serveOneClient();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static List<String> readLines(BufferedReader reader, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(reader.readLine());
        }
        return lines;
    }
}
