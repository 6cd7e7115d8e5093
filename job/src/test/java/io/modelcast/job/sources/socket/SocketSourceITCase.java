package io.modelcast.job.sources.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.LineBatch;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.JobMetrics;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The socket source on a MiniCluster, against a server that comes late and hangs up. */
class SocketSourceITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void waitsForALateServerAndReconnectsWhenItHangsUpWithoutFailingTheJob(@InjectClusterRESTAddress URI rest) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Collected<String> lines = Collected.of(
                env.fromSource(new SocketSource("127.0.0.1", port, Duration.ofMillis(100), 64),
                                WatermarkStrategy.noWatermarks(), "socket")
                        .setParallelism(1)
                        .flatMap((LineBatch batch, Collector<String> out) -> {
                            for (int i = 0; i < batch.size(); i++) {
                                out.collect(batch.line(i));
                            }
                        })
                        .returns(Types.STRING)
                        .setParallelism(1),
                "lines");
        JobClient job = env.executeAsync("socket-source-test");
        lines.start();
        try {
            // Nothing listens yet: the source keeps trying, the job keeps running.
            Await.until("the job is running", TIMEOUT, () -> status(job).equals("RUNNING"));

            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                serveOnce(server, "1\n2\n3");
                serveOnce(server, "4\r\n5\n");
                Await.until("all five lines arrived", TIMEOUT, () -> lines.size() >= 5);
            }

            assertThat(lines.snapshot()).containsExactly("1", "2", "3", "4", "5");
            // The metric is fetched asynchronously: wait until it is reported at all, then read it.
            Await.until("numRestarts is reported", TIMEOUT, () -> restarts(rest, job) >= 0);
            assertThat(restarts(rest, job)).as("restarts").isZero();
        } finally {
            job.cancel().get();
            lines.close();
        }
    }

    private static long restarts(URI rest, JobClient job) {
        try {
            return JobMetrics.jobMetric(rest, job.getJobID(), "numRestarts").orElse(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Accepts one connection (within a minute), writes {@code text}, hangs up. */
    private static void serveOnce(ServerSocket server, String text) throws IOException {
        server.setSoTimeout((int) TIMEOUT.toMillis());
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String status(JobClient job) {
        try {
            return job.getJobStatus().get().name();
        } catch (Exception e) {
            return "UNKNOWN";
        }
    }
}
