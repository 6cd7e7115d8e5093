package io.modelcast.job.jdbc;

import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.jdbc.ResultRow.Status;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.RejectedRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes one row per input into PostgreSQL with Flink's JDBC sink: every result, stale result and
 * rejection of the scoring graph (and, on the Kafka path, every invalid record), as upserts keyed by
 * where the input was read ({@link ResultsTable}); and, while a shadow challenger runs, one row per
 * input of its outcome in the shadow table beside it.
 *
 * <p>The sink is at-least-once: it writes its buffered rows at every checkpoint, and a restore
 * replays what came after the last one. Because each write is an upsert on the input's key, a
 * replayed row replaces the row already there, so the table ends up with exactly one row per input.
 * A replayed input may be scored by a newer model the second time; the row then names that version.
 * (The connector's exactly-once mode, XA transactions, would need {@code max_prepared_transactions}
 * on the server and gains nothing over idempotent rows.)
 *
 * <p>Rows go out in batches of {@value #BATCH_SIZE}, or after {@value #BATCH_INTERVAL_MS} ms, and at
 * every checkpoint; a failed batch is retried {@value #MAX_RETRIES} times before the job fails over
 * and replays from its last checkpoint.
 */
public final class JdbcResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final int BATCH_SIZE = 1000;
    static final long BATCH_INTERVAL_MS = 200;
    static final int MAX_RETRIES = 3;

    private JdbcResults() {}

    /** The rows of every outcome of the scoring graph, plus {@code invalid} Kafka records (may be null). */
    public static DataStream<ResultRow> rows(ScoringPipeline.Outputs outputs, DataStream<RejectedRecord> badInputs,
            DataStream<DeadLetter> invalid) {
        TypeInformation<ResultRow> type = TypeInformation.of(ResultRow.class);
        DataStream<ResultRow> rows = outputs.scored().map(r -> ResultRow.of(r, Status.SCORED)).returns(type)
                .name("Results as rows").uid("results-as-rows")
                .union(outputs.stale().map(r -> ResultRow.of(r, Status.STALE)).returns(type)
                                .name("Stale results as rows").uid("stale-results-as-rows"),
                        outputs.modelFailures().map(ResultRow::of).returns(type)
                                .name("Model failures as rows").uid("model-failures-as-rows"),
                        outputs.noModelYet().map(ResultRow::of).returns(type)
                                .name("No model yet as rows").uid("no-model-yet-as-rows"));
        if (badInputs != null) {
            rows = rows.union(badInputs.map(ResultRow::of).returns(type).name("Bad inputs as rows").uid("bad-inputs-as-rows"));
        }
        if (invalid != null) {
            rows = rows.union(invalid.map(ResultRow::of).returns(type).name("Invalid records as rows").uid("invalid-records-as-rows"));
        }
        return rows;
    }

    /**
     * Creates the tables if missing, then adds the sinks: the rows, a shadow challenger's rows beside
     * them, and the rollout reports.
     */
    public static void write(DataStream<ResultRow> rows, DataStream<String> shadowLines, DataStream<String> reports,
            JdbcOptions options) {
        ResultsTable.createIfMissing(options);
        rows.sinkTo(sink(options, options.table()))
                .uid("jdbc-results-sink")
                .name("Rows to PostgreSQL " + options.table());
        String shadowTable = ResultsTable.shadowTable(options.table());
        shadowLines.map(ResultRow::shadow).returns(TypeInformation.of(ResultRow.class))
                .name("Shadow lines as rows").uid("shadow-lines-as-rows")
                .sinkTo(sink(options, shadowTable))
                .uid("jdbc-shadow-sink")
                .name("Shadow rows to PostgreSQL " + shadowTable);
        String reportTable = ResultsTable.reportTable(options.table());
        reports.sinkTo(JdbcSink.<String>builder()
                        .withQueryStatement(ResultsTable.insertReportSql(reportTable), JdbcResults::bindReport)
                        .withExecutionOptions(JdbcExecutionOptions.builder().withBatchSize(1).withMaxRetries(MAX_RETRIES).build())
                        .buildAtLeastOnce(connection(options)))
                .uid("jdbc-report-sink")
                .name("Rollout reports to PostgreSQL " + reportTable)
                .setParallelism(1);
    }

    /**
     * Creates {@code <table>_<kind>} if missing, then writes windowed JSON records there — evaluation
     * or drift records, each a row keyed by name, version and window start.
     */
    public static void writeWindowed(DataStream<String> records, JdbcOptions options, String kind) {
        String table = ResultsTable.windowTable(options.table(), kind);
        ResultsTable.createWindowTableIfMissing(options, table);
        records.sinkTo(JdbcSink.<String>builder()
                        .withQueryStatement(ResultsTable.insertWindowSql(table), JdbcResults::bindWindowed)
                        .withExecutionOptions(JdbcExecutionOptions.builder().withBatchSize(1).withMaxRetries(MAX_RETRIES).build())
                        .buildAtLeastOnce(connection(options)))
                .uid("jdbc-" + kind + "-sink")
                .name(kind + " to PostgreSQL " + table);
    }

    static void bindWindowed(PreparedStatement statement, String line) throws SQLException {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            throw new SQLException("not a windowed record: " + line, e);
        }
        statement.setString(1, record.path("model").asText());
        statement.setLong(2, record.path("modelVersion").asLong());
        statement.setLong(3, record.path("windowStart").asLong());
        statement.setString(4, line);
    }

    private static void bindReport(PreparedStatement statement, String line) throws SQLException {
        JsonNode report;
        try {
            report = JSON.readTree(line);
        } catch (IOException e) {
            throw new SQLException("not a rollout report: " + line, e);
        }
        statement.setString(1, report.path("model").asText());
        statement.setLong(2, report.path("champion").asLong());
        statement.setLong(3, report.path("challenger").asLong());
        statement.setLong(4, report.path("atMillis").asLong());
        statement.setString(5, line);
    }

    private static JdbcConnectionOptions connection(JdbcOptions options) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(options.url())
                .withDriverName("org.postgresql.Driver")
                .build();
    }

    static JdbcSink<ResultRow> sink(JdbcOptions options, String table) {
        return JdbcSink.<ResultRow>builder()
                .withQueryStatement(ResultsTable.upsertSql(table), ResultsTable::bind)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH_SIZE)
                        .withBatchIntervalMs(BATCH_INTERVAL_MS)
                        .withMaxRetries(MAX_RETRIES)
                        .build())
                .buildAtLeastOnce(connection(options));
    }
}
