package io.modelcast.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers for tests that run the project's scripts and jars as processes. */
final class Processes {

    private Processes() {}

    /** The project's root directory (set by the build, or the parent of this module). */
    static Path root() {
        return Paths.get(System.getProperty("modelcast.root", "..")).toAbsolutePath().normalize();
    }

    /** A port that was free a moment ago, on loopback. */
    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct ports that were free a moment ago, on loopback (all held open while choosing). */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * Whether a process runs: alive and not a zombie (a dead process its new parent has not
     * reaped yet, which {@link ProcessHandle#isAlive} still counts as alive).
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Stops a process and everything it started, should a test end early: SIGTERM first, so
     * scripts run their cleanup, then SIGKILL for whatever is left.
     */
    static void stopWithDescendants(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    /** Whether something accepts connections on a loopback port. */
    static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
