package io.modelcast.job.options;

import io.modelcast.job.jdbc.JdbcOptions;

import picocli.CommandLine.Option;

import java.util.Optional;

/** Results into PostgreSQL, if asked for. */
public final class JdbcArgs {

    public static final String DEFAULT_TABLE = "modelcast_results";

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "Also write results to this PostgreSQL database, one row per input keyed by where it"
                    + " was read (upserts: a replay never duplicates a row), for example"
                    + " jdbc:postgresql://127.0.0.1:55432/modelcast?user=modelcast. The table is created if missing.")
    String url;

    @Option(names = "--jdbc-table", paramLabel = "TABLE",
            description = "With --jdbc-url: the table rows go to. Default: " + DEFAULT_TABLE + ".")
    String table;

    public Optional<JdbcOptions> toOptions() {
        if (url == null) {
            if (table != null) {
                throw new IllegalArgumentException("--jdbc-table needs --jdbc-url");
            }
            return Optional.empty();
        }
        return Optional.of(new JdbcOptions(url, table == null ? DEFAULT_TABLE : table));
    }
}
