package io.modelcast.job.kafka;

import io.modelcast.job.JobArguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.jdbc.JdbcResults;
import io.modelcast.job.jdbc.ResultRow;
import io.modelcast.job.kafka.KafkaTestSupport.Sent;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Restarts;
import io.modelcast.job.testing.PostgresExtension;
import io.modelcast.kafkalocal.KafkaBrokerExtension;
import io.modelcast.model.CustomModel;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.StandInPredictServer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.OptionalLong;
import io.modelcast.model.repository.ModelDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results into a real PostgreSQL server (started by {@code bin/postgres-local}) from a real Kafka
 * broker: N input records give exactly N rows, keyed by topic, partition and offset, across an
 * injected failure and the restart and replay that follow; a model switch — from a local model to
 * a remote one, called in async I/O — shows in the rows' versions.
 */
class KafkaToPostgresITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 2;

    /** Set once the injected failure has been thrown. */
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger ROWS_SINCE_ARMED = new AtomicInteger();
    private static final int ROWS_BEFORE_FAILURE = 300;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARTITIONS)
                    .build());

    @TempDir Path models;

    /** Stands in for TensorFlow Serving: serves the cloned seed model ({@code 070707}) as "seed", version 1. */
    private StandInPredictServer server;

    private final String s0 = KafkaTestSupport.uniqueTopic("s0");
    private final String s2 = KafkaTestSupport.uniqueTopic("s2");
    private final String deadLetters = KafkaTestSupport.uniqueTopic("dlq");
    private final String table = "results_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private JobClient job;
    private KafkaTestSupport kafka;

    @BeforeEach
    void createTopics() throws Exception {
        KAFKA.createTopics(Map.of(s0, PARTITIONS, s2, 1, deadLetters, 1));
        kafka = new KafkaTestSupport(KAFKA);
        server = StandInPredictServer.start(8)
                .serve("seed", 1, instance -> JsonNodeFactory.instance.textNode(String.format("%02d", instance.asLong()).repeat(3)));
    }

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void exactlyOneRowPerInputAfterAFailureAndItsReplayWithTheModelSwitchInTheVersions(
            @InjectClusterRESTAddress URI rest) throws Exception {
        FAILED_ONCE.set(false);
        ARMED.set(false);
        ROWS_SINCE_ARMED.set(0);
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> new CustomModel(false), warning -> {});
        job = startJob();

        List<Sent> sent = new ArrayList<>(kafka.sendNumbers(s0, PARTITIONS, "v1-", 0, 400));
        awaitRows(sent.size());
        // Version 2 is a remote model: calls in flight at the failure are in the checkpoint, and made again.
        directory.publish(newest -> new RemoteModel(server.endpoint(), "seed", OptionalLong.of(1), Duration.ofSeconds(2), 2,
                RemoteModel.OnFailure.FAIL, OptionalLong.empty(), 0.5), warning -> {});
        // Until a whole round (both partitions, so both scoring subtasks) is scored by version 2, keep sending.
        for (int round = 0; ; round++) {
            List<Sent> last = kafka.sendNumbers(s0, PARTITIONS, "switch" + round + "-", 0, 20);
            sent.addAll(last);
            awaitRows(sent.size());
            Map<String, Row> now = rows();
            if (last.stream().allMatch(s -> now.get(key(s)).modelVersion == 2)) {
                break;
            }
        }
        int afterSwitch = sent.size();

        ARMED.set(true);
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "fail-", 0, 600));
        List<Sent> bad = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bad.add(kafka.send(s0, i % PARTITIONS, "bad-" + i, KafkaTestSupport.utf8("not a number " + i)));
        }
        awaitRestarts(rest);
        sent.addAll(kafka.sendNumbers(s0, PARTITIONS, "after-", 0, 400));
        int total = sent.size() + bad.size();
        awaitRows(total);

        Map<String, Row> rows = rows();
        assertThat(rows).as("rows, one per input record").hasSize(total);
        for (int i = 0; i < sent.size(); i++) {
            Sent input = sent.get(i);
            Row row = rows.get(key(input));
            assertThat(row).as("row of %s", input).isNotNull();
            assertThat(row.status).isEqualTo("SCORED");
            String padded = String.format("%02d", Integer.parseInt(row.input));
            assertThat(row.output).as("%s by version %d", input, row.modelVersion)
                    .isEqualTo(row.modelVersion == 1 ? padded : padded.repeat(3));
            if (i >= afterSwitch) {
                assertThat(row.modelVersion).as("version of %s, sent after version 2 was in use", input).isEqualTo(2);
            }
        }
        assertThat(rows.values()).extracting(r -> r.modelVersion).contains(1L, 2L);
        // The replay did write rows a second time, and the upserts absorbed them.
        Await.until("rows replaced by the replay after the failure (PostgreSQL's n_tup_upd)", TIMEOUT,
                () -> updatedRows() > 0);
        for (Sent input : bad) {
            Row row = rows.get(key(input));
            assertThat(row.status).isEqualTo("REJECTED");
            assertThat(row.reason).isNotBlank();
            assertThat(row.modelVersion).isZero();
        }
    }

    private String key(Sent sent) {
        return s0 + "-" + sent.partition() + "@" + sent.offset();
    }

    private record Row(String input, String output, long modelVersion, String status, String reason) {}

    private Map<String, Row> rows() throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT source_name, source_partition, source_offset, input, output,"
                        + " model_version, status, reason FROM " + table)) {
            while (result.next()) {
                String key = result.getString(1) + "-" + result.getInt(2) + "@" + result.getLong(3);
                Row previous = rows.put(key, new Row(result.getString(4), result.getString(5), result.getLong(6),
                        result.getString(7), result.getString(8)));
                assertThat(previous).as("a second row for %s", key).isNull();
            }
        }
        return rows;
    }

    /** How many rows PostgreSQL counts as updated in the table: writes of a key already there. */
    private long updatedRows() {
        try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            return result.next() ? result.getLong(1) : 0;
        } catch (SQLException e) {
            return -1;
        }
    }

    private void awaitRows(int rows) throws InterruptedException {
        Await.until(rows + " rows in " + table, TIMEOUT, () -> POSTGRES.rows(table) >= rows);
    }

    private void awaitRestarts(URI rest) throws InterruptedException {
        Await.until("the injected failure", TIMEOUT, FAILED_ONCE::get);
        Restarts.await(rest, job.getJobID(), 1, TIMEOUT);
    }

    /** The production graph with the rows passing an operator that fails once, just before the JDBC sink. */
    private JobClient startJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Restarts.quickly(new Configuration(), 20));
        env.setParallelism(PARTITIONS);
        String group = "test-" + s0;
        JobOptions options = JobArguments.parse("--source", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", deadLetters,
                "--group-id", group, "--starting-offsets", "earliest", "--models", models.toString(),
                "--checkpoint-interval", "2s", "--model-poll-interval", "100ms",
                "--jdbc-url", POSTGRES.jdbcUrl(), "--jdbc-table", table, "--remote-requests", "64");
        ModelcastJob.configure(env, options);
        DataStream<ModelFileBytes> modelFiles = ModelcastJob.modelFiles(env, options);
        KafkaPipeline.Outputs outputs = KafkaPipeline.define(env, options, modelFiles);
        KafkaPipeline.write(outputs, options);
        DataStream<ResultRow> rows = JdbcResults.rows(outputs.scoring(), null, outputs.invalidRecords())
                .map(new FailOnce())
                .uid("inject-failure");
        JdbcResults.write(rows, outputs.scoring().shadow(), outputs.scoring().reports(), options.jdbc().orElseThrow());
        return env.executeAsync("kafka-to-postgres");
    }

    /**
     * Once armed, throws on the {@value #ROWS_BEFORE_FAILURE}th row it passes, once per test run: rows
     * before it in the same checkpoint may be in the table already, and the restore replays them.
     */
    private static final class FailOnce implements MapFunction<ResultRow, ResultRow> {
        @Override
        public ResultRow map(ResultRow row) {
            if (ARMED.get() && ROWS_SINCE_ARMED.incrementAndGet() == ROWS_BEFORE_FAILURE && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure before the JDBC sink, at " + row);
            }
            return row;
        }
    }
}
