package io.modelcast.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Helpers for tests that run the project's scripts and jars as processes. */
final class Processes {

    private Processes() {}

    /** The project's root directory (set by the build, or the parent of this module). */
    static Path root() {
        return Paths.get(System.getProperty("modelcast.root", "..")).toAbsolutePath().normalize();
    }

    /** A port that was free a moment ago, on loopback. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
