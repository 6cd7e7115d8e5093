package io.modelcast.job.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Locale;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The results table in PostgreSQL: its definition, created if missing, and the upsert that writes a
 * row. The key is where the input was read ({@code source_name, source_partition, source_offset}),
 * and a row written again — a replay after a failure — replaces the one there, so the table holds
 * exactly one row per input, however often the job recovers.
 *
 * <pre>
 * source_name text, source_partition int, source_offset bigint   -- the key
 * input text, output text, score double precision, model_version bigint,
 * fallback_from bigint, status text (SCORED | STALE | REJECTED), reason text, written_at timestamptz,
 * model text, role text (champion | canary | shadow)
 * </pre>
 *
 * A shadow rollout's challenger results go to a table of the same shape named {@code <table>_shadow}
 * ({@link #shadowTable}), one row per input, role {@code shadow}; the champion's stay in the main
 * table; rollout reports go to {@code <table>_rollouts} ({@link #reportTable}); evaluation and drift
 * records to {@code <table>_evaluations} and {@code <table>_drift} ({@link #windowTable}). Tables of builds
 * before model names gain the {@code model} and {@code role} columns.
 */
public final class ResultsTable {

    private ResultsTable() {}

    /** The table's definition, for {@code CREATE TABLE IF NOT EXISTS}. */
    public static String createSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "source_name text NOT NULL, "
                + "source_partition integer NOT NULL, "
                + "source_offset bigint NOT NULL, "
                + "input text, "
                + "output text, "
                + "score double precision, "
                + "model_version bigint, "
                + "fallback_from bigint, "
                + "status text NOT NULL, "
                + "reason text, "
                + "written_at timestamptz NOT NULL DEFAULT now(), "
                + "model text, "
                + "role text, "
                + "PRIMARY KEY (source_name, source_partition, source_offset))";
    }

    /** Adds what builds before model names did not have to a table of theirs (a no-op on a new one). */
    static String migrateSql(String table) {
        return "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS model text, ADD COLUMN IF NOT EXISTS role text";
    }

    /** The table of the rollout reports, beside {@code table}: one row per report line, append only. */
    public static String reportTable(String table) {
        return table + "_rollouts";
    }

    /** The rollout reports' table: name, versions, when, and the report itself as {@code jsonb}. */
    static String createReportSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "model text NOT NULL, "
                + "champion bigint NOT NULL, "
                + "challenger bigint NOT NULL, "
                + "at timestamptz NOT NULL, "
                + "report jsonb NOT NULL, "
                + "PRIMARY KEY (model, challenger, at))";
    }

    /** One report line, written once (a replayed one is the same row). */
    public static String insertReportSql(String table) {
        return "INSERT INTO " + table + " (model, champion, challenger, at, report) VALUES (?, ?, ?, to_timestamp(? / 1000.0), ?::jsonb)"
                + " ON CONFLICT (model, challenger, at) DO NOTHING";
    }

    /**
     * A table of windowed JSON records beside {@code table}: {@code <table>_evaluations} for the
     * evaluation records, {@code <table>_drift} for the drift records.
     */
    public static String windowTable(String table, String kind) {
        return table + "_" + kind;
    }

    /** A windowed records' table: name, version, the window's start, and the record itself as {@code jsonb}. */
    static String createWindowSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "model text NOT NULL, "
                + "model_version bigint NOT NULL, "
                + "window_start timestamptz NOT NULL, "
                + "record jsonb NOT NULL, "
                + "PRIMARY KEY (model, model_version, window_start))";
    }

    /** One windowed record, written once (a replayed one is the same row). */
    public static String insertWindowSql(String table) {
        return "INSERT INTO " + table + " (model, model_version, window_start, record) VALUES (?, ?, to_timestamp(? / 1000.0), ?::jsonb)"
                + " ON CONFLICT (model, model_version, window_start) DO NOTHING";
    }

    /** Creates a windowed records' table if it is missing, at submission. */
    public static void createWindowTableIfMissing(JdbcOptions options, String table) {
        try (Connection connection = connect(options); Statement statement = connection.createStatement()) {
            statement.execute(createWindowSql(table));
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot create the table " + table + " at " + options.redactedUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The table of a shadow challenger's results, beside {@code table}. */
    public static String shadowTable(String table) {
        return table + "_shadow";
    }

    /** The idempotent write of one row: insert, or replace the row with the same key. */
    public static String upsertSql(String table) {
        return "INSERT INTO " + table + " (source_name, source_partition, source_offset, input, output, score,"
                + " model_version, fallback_from, status, reason, model, role, written_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (source_name, source_partition, source_offset) DO UPDATE SET"
                + " input = EXCLUDED.input, output = EXCLUDED.output, score = EXCLUDED.score,"
                + " model_version = EXCLUDED.model_version, fallback_from = EXCLUDED.fallback_from,"
                + " status = EXCLUDED.status, reason = EXCLUDED.reason, model = EXCLUDED.model, role = EXCLUDED.role,"
                + " written_at = EXCLUDED.written_at";
    }

    /** Sets the parameters of {@link #upsertSql} from a row. */
    public static void bind(PreparedStatement statement, ResultRow row) throws SQLException {
        statement.setString(1, row.sourceName);
        statement.setInt(2, row.sourcePartition);
        statement.setLong(3, row.sourceOffset);
        statement.setString(4, row.input);
        statement.setString(5, row.output);
        if (Double.isNaN(row.score)) {
            statement.setNull(6, Types.DOUBLE);
        } else {
            statement.setDouble(6, row.score);
        }
        if (row.modelVersion == 0) {
            statement.setNull(7, Types.BIGINT);
        } else {
            statement.setLong(7, row.modelVersion);
        }
        if (row.fallbackFrom == 0) {
            statement.setNull(8, Types.BIGINT);
        } else {
            statement.setLong(8, row.fallbackFrom);
        }
        statement.setString(9, row.status.name());
        statement.setString(10, row.reason == null ? null : row.reason.replace('\u0000', '\uFFFD'));
        statement.setString(11, row.model);
        statement.setString(12, row.role);
    }

    /**
     * Connects to the database, creates the table if it is missing and tries one upsert (rolled
     * back), so that a wrong URL, a server that is not running, a table of another shape or a
     * missing privilege is reported when the job is submitted, not by a sink failing over and over.
     *
     * @throws IllegalArgumentException saying what failed
     */
    public static void createIfMissing(JdbcOptions options) {
        createIfMissing(options, options.table());
        createIfMissing(options, shadowTable(options.table()));
        try (Connection connection = connect(options); Statement statement = connection.createStatement()) {
            statement.execute(createReportSql(reportTable(options.table())));
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot create the rollout-report table " + reportTable(options.table())
                    + " at " + options.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    private static void createIfMissing(JdbcOptions options, String table) {
        try (Connection connection = connect(options); Statement statement = connection.createStatement()) {
            statement.execute(createSql(table));
            statement.execute(migrateSql(table));
            // An older table of another shape, one without the key the upsert needs, or a user who may
            // not write to it: found now, by one upsert that is rolled back, not by the sink later.
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(upsertSql(table))) {
                ResultRow probe = new ResultRow();
                probe.sourceName = "modelcast:submission-check";
                probe.status = ResultRow.Status.REJECTED;
                probe.reason = "rolled back";
                bind(upsert, probe);
                upsert.executeUpdate();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot create the results table " + table + " at "
                    + options.redactedUrl() + ": " + e.getMessage()
                    + (e.getSQLState() != null && e.getSQLState().toUpperCase(Locale.ROOT).startsWith("08")
                            ? " (is PostgreSQL running? bin/postgres-local start starts one)" : ""), e);
        }
    }

    /** A connection with the PostgreSQL driver itself, not through DriverManager (which may not see a job jar's drivers). */
    static Connection connect(JdbcOptions options) throws SQLException {
        Connection connection = new Driver().connect(options.url(), new Properties());
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept the URL " + options.redactedUrl());
        }
        return connection;
    }
}
