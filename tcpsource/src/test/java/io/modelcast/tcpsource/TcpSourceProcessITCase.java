package io.modelcast.tcpsource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** tcpsource as its own process: it serves clients, and SIGTERM stops it cleanly. */
class TcpSourceProcessITCase {

    private static final Pattern LISTENING = Pattern.compile("tcpsource listening on 127\\.0\\.0\\.1:(\\d+) .*");

    @Test
    void seedModeServesUntilSigtermThenReleasesItsPort() throws Exception {
        Process process =
                new ProcessBuilder(
                                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                                TcpSource.class.getName(),
                                "--port",
                                "0",
                                "--delay",
                                "100ms")
                        .redirectErrorStream(true)
                        .start();
        List<String> output = new ArrayList<>();
        try (BufferedReader processOut =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = processOut.readLine();
            output.add(first);
            Matcher listening = LISTENING.matcher(String.valueOf(first));
            assertThat(listening.matches()).as("first line: %s", first).isTrue();
            int port = Integer.parseInt(listening.group(1));

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout(10_000);
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                for (int i = 0; i < 40; i++) {
                    assertThat(lines.readLine()).isEqualTo(Integer.toString(i % 20));
                }
            }

            // Process.destroy() would also close our end of its output; send the signal instead.
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            for (String line; (line = processOut.readLine()) != null; ) {
                output.add(line);
            }
            assertThat(output).last().isEqualTo("tcpsource stopped");
            assertThat(output).noneMatch(line -> line.contains("Exception"));
            assertThat(connects(port)).as("port %d released", port).isFalse();
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean connects(int port) throws Exception {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
