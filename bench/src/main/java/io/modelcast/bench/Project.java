package io.modelcast.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Where the packaged jars and the Flink configuration of a built checkout are. */
final class Project {

    /** What a stock Flink distribution passes to its JVMs on Java 17 (kept in step with bin/lib/common.sh). */
    static final List<String> FLINK_JVM_OPTS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED");

    final Path root;

    Project(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path jar(String module) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build first (mvn -DskipTests package)");
        }
        return jar;
    }

    /** The java command that runs the job in local mode, with its options appended by the caller. */
    List<String> localJobCommand(Path logFile) throws IOException {
        return localJobCommand(logFile, List.of());
    }

    /** The java command that runs the job in local mode, {@code jvmOptions} (a flight recording, say) before the main class. */
    List<String> localJobCommand(Path logFile, List<String> jvmOptions) throws IOException {
        String flinkClasspath = Files.readString(root.resolve("job/target/flink-classpath.txt")).trim();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(FLINK_JVM_OPTS);
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + root.resolve("flink-conf/log4j-local.properties"));
        command.add("-cp");
        command.add(jar("job") + ":" + flinkClasspath);
        command.add("io.modelcast.job.LocalJob");
        command.add("--flink-conf");
        command.add(root.resolve("flink-conf").toString());
        return command;
    }

    /**
     * The java command that runs a benchmark program of {@code bench-job} with job.jar and the
     * Flink jars, in an embedded cluster configured by {@code flink-conf/}; its options appended by
     * the caller. {@code jvmOptions} go before the main class (a flight recording, say).
     */
    List<String> benchJobCommand(String mainClass, Path logFile, List<String> jvmOptions) throws IOException {
        String flinkClasspath = Files.readString(root.resolve("job/target/flink-classpath.txt")).trim();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(FLINK_JVM_OPTS);
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + root.resolve("flink-conf/log4j-local.properties"));
        command.add("-cp");
        command.add(jar("bench-job") + ":" + jar("job") + ":" + modelTestJar() + ":" + flinkClasspath);
        command.add(mainClass);
        command.add("--flink-conf");
        command.add(root.resolve("flink-conf").toString());
        return command;
    }

    /**
     * The JVM options Spark's launcher adds on Java 17 ({@code org.apache.spark.launcher.JavaModuleOptions}):
     * Spark reaches into the JDK's internals, and a plain {@code java} command must open them itself.
     */
    static final List<String> SPARK_JVM_OPTS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

    /**
     * The java command that runs {@code bench-spark}'s {@code SparkSeedJob} (the origin's design on
     * Spark Streaming) with Spark's jars from the local Maven repository; its arguments appended by
     * the caller.
     */
    List<String> sparkCommand() throws IOException {
        String sparkClasspath = Files.readString(root.resolve("bench-spark/target/classpath.txt")).trim();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(SPARK_JVM_OPTS);
        command.add("-cp");
        command.add(jar("bench-spark") + ":" + sparkClasspath);
        command.add("io.modelcast.benchspark.SparkSeedJob");
        return command;
    }

    /** model's test jar, which holds StandInPredictServer (the remote-scoring benchmark's model server). */
    Path modelTestJar() throws IOException {
        try (var jars = Files.newDirectoryStream(root.resolve("model/target"), "model-*-tests.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IOException("model's test jar is missing from " + root.resolve("model/target") + ": build first (mvn -DskipTests package)");
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
