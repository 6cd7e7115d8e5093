package io.modelcast.job.jdbc;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where results go in PostgreSQL: the JDBC URL (credentials as its {@code user} and {@code password}
 * parameters) and the table, created if missing.
 *
 * @param url a {@code jdbc:postgresql://…} URL
 * @param table a table name, optionally with its schema ({@code schema.table}); letters, digits and
 *     {@code _} only, so it can be written into SQL as it is
 */
public record JdbcOptions(String url, String table) implements Serializable {

    private static final Pattern TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

    public JdbcOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(table, "table");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db…),"
                    + " was " + redact(url));
        }
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("--jdbc-table must be a table name ([schema.]name: letters, digits and _,"
                    + " not starting with a digit), was " + table);
        }
    }

    /** The URL with any password hidden, for logs and messages. */
    public String redactedUrl() {
        return redact(url);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
