package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.PostgresExtension;
import io.modelcast.job.jdbc.ResultsTable;
import io.modelcast.model.CustomModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket path with {@code --jdbc-url}: every line — scored or rejected — gets a row keyed by the
 * socket's name and its sequence number, in a real PostgreSQL server (bin/postgres-local).
 */
class SocketToPostgresITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path models;

    @Test
    void everyLineHasARowKeyedByItsSequenceNumber() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(i % 25 == 7 ? "not a number " + i : Integer.toString(i % 20));
        }
        ModelDirectory.open(models).publish(newest -> new CustomModel(true), warning -> {});
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = new Thread(() -> serve(server, lines, done), "lines");
            sender.setDaemon(true);
            sender.start();
            String table = "socket_rows_" + System.nanoTime();
            JobOptions options = JobArguments.parse("--port", Integer.toString(server.getLocalPort()),
                    "--models", models.toString(), "--model-poll-interval", "100ms", "--parallelism", "2",
                    "--max-pending", "1000", "--jdbc-url", POSTGRES.jdbcUrl(), "--jdbc-table", table);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            ModelcastJob.build(env, options);
            JobClient job = env.executeAsync("socket-to-postgres");
            try {
                Await.until("a row for each of the " + lines.size() + " lines", TIMEOUT, () -> POSTGRES.rows(table) >= lines.size());
                try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT source_name, source_partition, source_offset, input,"
                                + " output, model_version, status, reason FROM " + table + " ORDER BY source_offset")) {
                    int i = 0;
                    while (rows.next()) {
                        assertThat(rows.getString(1)).startsWith("socket:127.0.0.1:" + server.getLocalPort() + "@");
                        assertThat(rows.getInt(2)).isZero();
                        assertThat(rows.getLong(3)).as("sequence number of line %d", i).isEqualTo(i);
                        assertThat(rows.getString(4)).isEqualTo(lines.get(i));
                        if (i % 25 == 7) {
                            assertThat(rows.getString(7)).isEqualTo("REJECTED");
                            assertThat(rows.getString(8)).isEqualTo("not an integer");
                        } else {
                            assertThat(rows.getString(7)).isEqualTo("SCORED");
                            assertThat(rows.getString(5)).isEqualTo(String.format("%02d", i % 20).repeat(3));
                            assertThat(rows.getLong(6)).isEqualTo(1);
                        }
                        i++;
                    }
                    assertThat(i).isEqualTo(lines.size());
                }
            } finally {
                done.countDown();
                job.cancel().get();
            }
        }
    }

    @Test
    void aShadowChallengersOutcomesHaveTheirRowsBesideTheChampionsWithNameAndRole() throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                new Rollout.Policy(1_000_000, 0.01, 1), warning -> {});
        String table = "shadow_rows_" + System.nanoTime();
        String shadowTable = ResultsTable.shadowTable(table);
        int tested = 60;
        AtomicBoolean challengerIn = new AtomicBoolean();
        AtomicBoolean reportsWanted = new AtomicBoolean();
        AtomicLong warmUpLines = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Warm-up lines until the challenger has scored one (its first shadow row), then the lines under test.
            Thread sender = new Thread(() -> {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    while (!challengerIn.get()) {
                        out.write("0\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        warmUpLines.incrementAndGet();
                        Thread.sleep(50);
                    }
                    for (int i = 0; i < tested; i++) {
                        out.write((i % 20 + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    // Rollout figures leave a scorer as records pass: lines again once the lines under test are checked.
                    while (!done.await(50, TimeUnit.MILLISECONDS)) {
                        if (reportsWanted.get()) {
                            out.write("0\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    // The test ended.
                }
            }, "lines");
            sender.setDaemon(true);
            sender.start();
            JobOptions options = JobArguments.parse("--port", Integer.toString(server.getLocalPort()),
                    "--models", models.toString(), "--model-poll-interval", "100ms", "--parallelism", "1",
                    "--jdbc-url", POSTGRES.jdbcUrl(), "--jdbc-table", table, "--report-interval", "200ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            ModelcastJob.build(env, options);
            JobClient job = env.executeAsync("shadow-to-postgres");
            try {
                Await.until("the challenger's first shadow row", TIMEOUT, () -> POSTGRES.rows(shadowTable) > 0);
                challengerIn.set(true);
                Await.until("the lines under test in both tables", TIMEOUT,
                        () -> POSTGRES.rows(table) >= warmUpLines.get() + tested && POSTGRES.rows(shadowTable) >= 1 + tested);
                long first = warmUpLines.get();
                try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT c.input, c.output, c.model, c.role, c.model_version,"
                                + " s.output, s.model, s.role, s.model_version FROM " + table + " c JOIN " + shadowTable
                                + " s USING (source_name, source_partition, source_offset) WHERE c.source_offset >= " + first)) {
                    int joined = 0;
                    while (rows.next()) {
                        long input = Long.parseLong(rows.getString(1));
                        assertThat(rows.getString(2)).isEqualTo(new CustomModel(true).transform(input));
                        assertThat(rows.getString(3)).isEqualTo("default");
                        assertThat(rows.getString(4)).isEqualTo("champion");
                        assertThat(rows.getLong(5)).isEqualTo(1);
                        assertThat(rows.getString(6)).isEqualTo(new CustomModel(false).transform(input));
                        assertThat(rows.getString(7)).isEqualTo("default");
                        assertThat(rows.getString(8)).isEqualTo("shadow");
                        assertThat(rows.getLong(9)).isEqualTo(2);
                        joined++;
                    }
                    assertThat(joined).as("every line under test has its shadow row beside the champion's").isEqualTo(tested);
                }
                String reports = ResultsTable.reportTable(table);
                reportsWanted.set(true);
                Await.until("a rollout report in " + reports, TIMEOUT, () -> POSTGRES.rows(reports) > 0);
                try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT model, champion, challenger,"
                                + " (report->>'challengerRecords')::bigint FROM " + reports + " ORDER BY at DESC LIMIT 1")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("default");
                    assertThat(rows.getLong(2)).isEqualTo(1);
                    assertThat(rows.getLong(3)).isEqualTo(2);
                    assertThat(rows.getLong(4)).isPositive();
                }
            } finally {
                done.countDown();
                job.cancel().get();
            }
        }
    }

    /** Sends the lines to the first client, then keeps the connection open until the test is done. */
    private static void serve(ServerSocket server, List<String> lines, CountDownLatch done) {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            done.await();
        } catch (Exception e) {
            // The test ended.
        }
    }
}
