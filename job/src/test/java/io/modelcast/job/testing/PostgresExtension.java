package io.modelcast.job.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests of a run: started once, by the project's own {@code
 * bin/postgres-local} (Debian's packages, installed by the script if missing) in a fresh directory
 * on a free port of 127.0.0.1, and stopped — by PID, data wiped — when the run ends.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
 * ... POSTGRES.jdbcUrl() ...
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback {

    private static final String STORE_KEY = PostgresExtension.class.getName();
    private static final long START_TIMEOUT_SECONDS = 300;

    private RunningServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(STORE_KEY, key -> RunningServer.start(), RunningServer.class);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/modelcast?user=modelcast}. */
    public String jdbcUrl() {
        return server.jdbcUrl;
    }

    /** How many rows {@code table} holds; -1 while it does not exist (the job creates it when built). */
    public long rows(String table) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** A new connection to the test database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl);
    }

    static final class RunningServer implements ExtensionContext.Store.CloseableResource {
        final Path dir;
        final String jdbcUrl;

        private RunningServer(Path dir, String jdbcUrl) {
            this.dir = dir;
            this.jdbcUrl = jdbcUrl;
        }

        static RunningServer start() {
            try {
                // The server runs as the postgres user when the tests run as root: it must be able to enter the directory.
                Path dir = Files.createTempDirectory("modelcast-pg-test", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxr-xr-x")));
                int port;
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                List<String> out = run(List.of("start", "--dir", dir.toString(), "--port", Integer.toString(port)));
                String url = out.isEmpty() ? "" : out.get(out.size() - 1).strip();
                if (!url.startsWith("jdbc:postgresql://127.0.0.1:" + port + "/")) {
                    throw new IllegalStateException("bin/postgres-local start printed no JDBC URL: " + out);
                }
                return new RunningServer(dir, url);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test PostgreSQL server: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the test PostgreSQL server", e);
            }
        }

        /** Runs {@code bin/postgres-local} with {@code args}; its standard output, lines; fails unless it exits 0. */
        private static List<String> run(List<String> args) throws IOException, InterruptedException {
            // The project's root: set by the build, or the parent of this module's directory.
            Path root = Paths.get(System.getProperty("modelcast.root", "..")).toAbsolutePath().normalize();
            Path script = root.resolve("bin/postgres-local");
            List<String> command = new ArrayList<>(List.of(script.toString()));
            command.addAll(args);
            Path log = Files.createTempFile("postgres-local", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("bin/postgres-local " + args + " did not finish in " + START_TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("bin/postgres-local " + args + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(log));
                }
                return new String(out, StandardCharsets.UTF_8).lines().toList();
            } finally {
                Files.deleteIfExists(log);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run(List.of("stop", "--dir", dir.toString(), "--wipe"));
        }
    }
}
