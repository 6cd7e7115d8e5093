package io.modelcast.job.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.jdbc.ResultRow.Status;
import io.modelcast.job.testing.PostgresExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The results table on a real PostgreSQL server: created once, written idempotently, checked at submission. */
class ResultsTableITCase {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static String uniqueTable() {
        return "table_" + System.nanoTime();
    }

    @Test
    void aRowWrittenAgainReplacesTheRowWithItsKey() throws Exception {
        JdbcOptions options = new JdbcOptions(POSTGRES.jdbcUrl(), uniqueTable());
        ResultsTable.createIfMissing(options);
        ResultsTable.createIfMissing(options);
        ResultRow first = row(7, "07", 1);
        ResultRow replay = row(7, "070707", 2);
        try (Connection connection = POSTGRES.connect();
                PreparedStatement upsert = connection.prepareStatement(ResultsTable.upsertSql(options.table()))) {
            for (ResultRow row : new ResultRow[] {first, row(8, "08", 1), replay}) {
                ResultsTable.bind(upsert, row);
                upsert.executeUpdate();
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT source_offset, output, model_version, score FROM "
                            + options.table() + " ORDER BY source_offset")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(7);
                assertThat(rows.getString(2)).isEqualTo("070707");
                assertThat(rows.getLong(3)).isEqualTo(2);
                rows.getDouble(4);
                assertThat(rows.wasNull()).as("no score for an integer model's result").isTrue();
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(8);
                assertThat(rows.next()).isFalse();
            }
        }
    }

    @Test
    void evaluationRecordsGoToTheirTableOncePerVersionAndWindow() throws Exception {
        JdbcOptions options = new JdbcOptions(POSTGRES.jdbcUrl(), uniqueTable());
        String table = ResultsTable.windowTable(options.table(), "evaluations");
        ResultsTable.createWindowTableIfMissing(options, table);
        ResultsTable.createWindowTableIfMissing(options, table);
        String line = "{\"model\":\"fraud\",\"modelVersion\":4,\"role\":\"canary\",\"windowStart\":1764842400000,"
                + "\"windowEnd\":1764842460000,\"labelled\":1234,\"accuracy\":0.912,\"logLoss\":0.231,\"auc\":0.957}";
        try (Connection connection = POSTGRES.connect();
                PreparedStatement insert = connection.prepareStatement(ResultsTable.insertWindowSql(table))) {
            for (int i = 0; i < 2; i++) {
                JdbcResults.bindWindowed(insert, line);
                insert.executeUpdate();
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT model, model_version, extract(epoch FROM window_start),"
                            + " record->>'auc' FROM " + table)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("fraud");
                assertThat(rows.getLong(2)).isEqualTo(4);
                assertThat(rows.getLong(3)).isEqualTo(1764842400L);
                assertThat(rows.getString(4)).isEqualTo("0.957");
                assertThat(rows.next()).as("a replayed record is the same row").isFalse();
            }
        }
    }

    @Test
    void aTableOfTheBuildBeforeModelNamesGainsTheNameAndRoleColumns() throws Exception {
        String table = uniqueTable();
        try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement()) {
            // The shape every build before model names created.
            statement.execute("CREATE TABLE " + table + " (source_name text NOT NULL, source_partition integer NOT NULL,"
                    + " source_offset bigint NOT NULL, input text, output text, score double precision, model_version bigint,"
                    + " fallback_from bigint, status text NOT NULL, reason text, written_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (source_name, source_partition, source_offset))");
        }
        JdbcOptions options = new JdbcOptions(POSTGRES.jdbcUrl(), table);
        ResultsTable.createIfMissing(options);
        ResultRow row = new ResultRow();
        row.sourceName = "s0";
        row.status = ResultRow.Status.SCORED;
        row.output = "07";
        row.modelVersion = 4;
        row.model = "fraud";
        row.role = "canary";
        try (Connection connection = POSTGRES.connect();
                PreparedStatement upsert = connection.prepareStatement(ResultsTable.upsertSql(table))) {
            ResultsTable.bind(upsert, row);
            upsert.executeUpdate();
        }
        try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT model, role FROM " + table)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("fraud");
            assertThat(rows.getString(2)).isEqualTo("canary");
        }
        assertThat(POSTGRES.rows(ResultsTable.shadowTable(table))).as("the shadow table is there too").isZero();
    }

    @Test
    void aTableWithoutTheKeyIsReportedAtSubmission() throws Exception {
        String table = uniqueTable();
        try (Connection connection = POSTGRES.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (source_name text, source_partition int, source_offset bigint)");
        }
        assertThatThrownBy(() -> ResultsTable.createIfMissing(new JdbcOptions(POSTGRES.jdbcUrl(), table)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot create the results table " + table);
    }

    @Test
    void aServerThatIsNotThereIsReportedWithAHint() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> ResultsTable.createIfMissing(new JdbcOptions(
                        "jdbc:postgresql://127.0.0.1:" + closed + "/modelcast?user=modelcast&password=secret", "t")))
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("secret")
                .hasMessageContaining("bin/postgres-local start");
    }

    private static ResultRow row(long offset, String output, long version) {
        ResultRow row = new ResultRow();
        row.sourceName = "s0";
        row.sourceOffset = offset;
        row.output = output;
        row.modelVersion = version;
        row.status = Status.SCORED;
        return row;
    }
}
