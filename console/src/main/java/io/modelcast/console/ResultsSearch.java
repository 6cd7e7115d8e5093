package io.modelcast.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Searches the job's results table in PostgreSQL ({@code --jdbc-url}): by where the input was read
 * (source, partition, offset), by text in the input (its JSON {@code id}, say), by model and
 * version, by status and by time — newest first, a bounded page at a time. Every value goes into the
 * SQL as a parameter; the table name is checked against a strict pattern once.
 */
final class ResultsSearch {

    /** The largest page a request may ask for. */
    static final int MAX_PAGE_SIZE = 500;
    /** The deepest page a request may ask for: deeper, narrow the search instead. */
    static final int MAX_PAGE = 10_000;
    static final int DEFAULT_PAGE_SIZE = 50;

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final List<String> FILTERS = List.of("source", "partition", "offset", "contains", "model", "version", "status",
            "from", "to", "page", "size");

    /** Where the results are. */
    record Source(String url, String table) {
        Source {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("--jdbc-table must be a plain lower-case table name, not '" + table + "'");
            }
        }
    }

    private final ObjectMapper json;
    private final Source source;

    ResultsSearch(ObjectMapper json, Source source) {
        this.json = json;
        this.source = source;
    }

    /** The page of results the query parameters ask for: {@code {"results": [...], "page", "size", "more"}}. */
    ObjectNode search(Map<String, List<String>> query) throws SQLException {
        for (String name : query.keySet()) {
            if (!FILTERS.contains(name)) {
                throw new BadRequest("unknown parameter '" + shorten(name) + "' (known: " + String.join(", ", FILTERS) + ")");
            }
        }
        int size = number(query, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int page = number(query, "page", 0, 0, MAX_PAGE);
        StringBuilder sql = new StringBuilder("SELECT source_name, source_partition, source_offset, input, output, score,"
                + " model, model_version, role, status, reason, written_at FROM " + source.table() + " WHERE true");
        List<Object> values = new ArrayList<>();
        text(query, "source").ifPresent(v -> add(sql, values, " AND source_name = ?", v));
        if (query.containsKey("partition")) {
            add(sql, values, " AND source_partition = ?", number(query, "partition", 0, 0, Integer.MAX_VALUE));
        }
        if (query.containsKey("offset")) {
            add(sql, values, " AND source_offset = ?", longNumber(query, "offset"));
        }
        text(query, "contains").ifPresent(v -> add(sql, values, " AND input LIKE ? ESCAPE '\\'", "%" + escapeLike(v) + "%"));
        text(query, "model").ifPresent(v -> add(sql, values, " AND model = ?", v));
        if (query.containsKey("version")) {
            add(sql, values, " AND model_version = ?", longNumber(query, "version"));
        }
        text(query, "status").ifPresent(v -> add(sql, values, " AND status = ?", v.toUpperCase(java.util.Locale.ROOT)));
        text(query, "from").ifPresent(v -> add(sql, values, " AND written_at >= ?", time("from", v)));
        text(query, "to").ifPresent(v -> add(sql, values, " AND written_at < ?", time("to", v)));
        sql.append(" ORDER BY written_at DESC, source_name, source_partition, source_offset LIMIT ? OFFSET ?");
        values.add(size + 1);
        values.add((long) page * size);

        ObjectNode answer = json.createObjectNode().put("page", page).put("size", size);
        ArrayNode results = answer.putArray("results");
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            statement.setQueryTimeout(10);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (results.size() == size) {
                        answer.put("more", true);
                        return answer;
                    }
                    results.add(row(rows));
                }
            }
        }
        answer.put("more", false);
        return answer;
    }

    private ObjectNode row(ResultSet rows) throws SQLException {
        ObjectNode row = json.createObjectNode()
                .put("source", rows.getString("source_name"))
                .put("partition", rows.getInt("source_partition"))
                .put("offset", rows.getLong("source_offset"))
                .put("input", rows.getString("input"))
                .put("output", rows.getString("output"))
                .put("model", rows.getString("model"))
                .put("role", rows.getString("role"))
                .put("status", rows.getString("status"))
                .put("reason", rows.getString("reason"))
                .put("writtenAt", rows.getTimestamp("written_at").toInstant().toString());
        double score = rows.getDouble("score");
        if (!rows.wasNull()) {
            row.put("score", score);
        }
        long version = rows.getLong("model_version");
        if (!rows.wasNull()) {
            row.put("modelVersion", version);
        }
        return row;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        String user = System.getenv("PGUSER");
        String password = System.getenv("PGPASSWORD");
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(source.url(), properties);
    }

    private static void add(StringBuilder sql, List<Object> values, String clause, Object value) {
        sql.append(clause);
        values.add(value);
    }

    private static java.util.Optional<String> text(Map<String, List<String>> query, String name) {
        List<String> given = query.get(name);
        if (given == null || given.isEmpty() || given.get(0).isEmpty()) {
            return java.util.Optional.empty();
        }
        if (given.get(0).length() > 256) {
            throw new BadRequest("'" + name + "' is longer than 256 characters");
        }
        return java.util.Optional.of(given.get(0));
    }

    private static int number(Map<String, List<String>> query, String name, int fallback, int min, int max) {
        String given = text(query, name).orElse(null);
        if (given == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + name + "' is a whole number, not '" + shorten(given) + "'");
        }
        if (value < min || value > max) {
            throw new BadRequest("'" + name + "' is from " + min + " to " + max + ", not " + value);
        }
        return (int) value;
    }

    private static long longNumber(Map<String, List<String>> query, String name) {
        String given = text(query, name).orElseThrow(() -> new BadRequest("'" + name + "' is empty"));
        try {
            return Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + name + "' is a whole number, not '" + shorten(given) + "'");
        }
    }

    private static Timestamp time(String name, String given) {
        try {
            return Timestamp.from(Instant.parse(given));
        } catch (DateTimeParseException e) {
            throw new BadRequest("'" + name + "' is an ISO-8601 instant such as 2026-12-07T10:15:30Z, not '" + shorten(given) + "'");
        }
    }

    /** {@code %}, {@code _} and the escape character itself match literally. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
