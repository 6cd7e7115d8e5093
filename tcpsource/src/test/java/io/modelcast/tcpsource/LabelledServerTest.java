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
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Labelled mode: records on one port, each one's label on the other a moment later, concepts in turn. */
class LabelledServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void everyRecordHasItsLabelLaterAndTheConceptChanges() throws Exception {
        StringWriter log = new StringWriter();
        try (LabelledServer server = new LabelledServer(LOOPBACK, 0, 0, List.of(42L, 43L), 3, Duration.ofMillis(300), 1_000,
                Duration.ofMillis(200), new PrintWriter(log, true))) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try {
                    server.serve();
                } catch (Exception e) {
                    // Closed.
                }
            });
            try (Socket labels = new Socket(LOOPBACK, server.labelPort())) {
                // The labels client is in before the first record is drawn, so every label is queued for it.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!server.labelling()) {
                    assertThat(System.nanoTime()).as("the labels client is accepted within 10 s").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                Socket records = new Socket(LOOPBACK, server.port());
                records.setSoTimeout(10_000);
                labels.setSoTimeout(10_000);
                BufferedReader recordLines = new BufferedReader(new InputStreamReader(records.getInputStream(), StandardCharsets.UTF_8));
                BufferedReader labelLines = new BufferedReader(new InputStreamReader(labels.getInputStream(), StandardCharsets.UTF_8));
                String first = recordLines.readLine();
                long firstRecordAt = System.nanoTime();
                String firstLabel = labelLines.readLine();
                assertThat(System.nanoTime() - firstRecordAt).as("r-0's label comes 200 ms after r-0").isGreaterThan(150_000_000L);
                assertThat(firstLabel).matches("r-0,[01]");
                assertThat(first).matches("\\{\"id\":\"r-0\",\"features\":\\[(-?[0-9.]+,){2}-?[0-9.]+]}");
                for (int i = 1; i < 500; i++) {
                    assertThat(recordLines.readLine()).matches("\\{\"id\":\"r-" + i + "\",\"features\":\\[(-?[0-9.]+,){2}-?[0-9.]+]}");
                }
                for (int i = 1; i < 100; i++) {
                    assertThat(labelLines.readLine()).startsWith("r-" + i + ",");
                }
                records.close();
            }
            server.close();
            serving.get();
        }
        assertThat(log.toString()).contains("concept 42 from record r-0").contains("concept 43 from record r-");
    }
}
