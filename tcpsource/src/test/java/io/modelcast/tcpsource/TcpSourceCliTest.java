package io.modelcast.tcpsource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

class TcpSourceCliTest {

    record Run(int exitCode, String out, String err) {}

    static Run tcpsource(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = TcpSource.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void helpShowsModesAndDefaults() {
        Run run = tcpsource("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Default: 127.0.0.1", "Default: 9999", "Default: 5s", "--count=N", "--rate=R");
    }

    @Test
    void aTakenPortFailsWithExitCodeOneAndSaysWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = tcpsource("--port", Integer.toString(taken.getLocalPort()), "--count", "1");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("pick another --port");
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(tcpsource("--rate", "10").err()).contains("--rate only goes with --count");
        assertThat(tcpsource("--rate", "10").exitCode()).isEqualTo(2);
        assertThat(tcpsource("--count", "5", "--rate", "0").exitCode()).isEqualTo(2);
        assertThat(tcpsource("--port", "70000").exitCode()).isEqualTo(2);
        assertThat(tcpsource("--delay", "soon").exitCode()).isEqualTo(2);
    }
}
