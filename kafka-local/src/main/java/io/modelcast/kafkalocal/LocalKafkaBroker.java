package io.modelcast.kafkalocal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process) on 127.0.0.1,
 * run as a process of its own from the kafka_2.13 jars Maven fetched, with all its files in one
 * directory: {@code server.properties}, {@code data/} (formatted on first start), {@code logs/},
 * {@code broker.out} and {@code broker.pid}. It is found again through that directory, so a
 * later command (or another process) can ask for its status or stop it.
 *
 * <p>With a SASL port, the broker also listens there with SASL_PLAINTEXT (mechanism PLAIN) for one
 * user, {@value #SASL_USER}, whose password is made at each start and written, with the rest of
 * what a client needs, to {@code client-sasl.properties} in the directory — the file the job takes
 * with {@code --kafka-properties}. The PLAINTEXT port stays, for the project's own tools.
 *
 * <p>Limits: one node, replication factor 1, loopback only, SASL without TLS — for development and
 * tests, not for data that must survive a disk failure.
 */
public final class LocalKafkaBroker {

    private static final String PID_FILE = "broker.pid";
    private static final String PROPERTIES_FILE = "server.properties";
    private static final String SASL_CLIENT_FILE = "client-sasl.properties";

    /** The one user of the SASL listener. */
    public static final String SASL_USER = "modelcast";

    private final Path dir;

    /** The broker whose files are (or will be) in {@code dir}. */
    public LocalKafkaBroker(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** {@code 127.0.0.1:<port>} of the broker's PLAINTEXT listener, as configured in the directory. */
    public String bootstrapServers() throws IOException {
        return listener("PLAINTEXT").orElseThrow(() -> new IOException("no PLAINTEXT listener in " + dir.resolve(PROPERTIES_FILE)));
    }

    /** {@code 127.0.0.1:<port>} of the broker's SASL_PLAINTEXT listener, if it has one. */
    public Optional<String> saslBootstrapServers() throws IOException {
        return listener("SASL_PLAINTEXT");
    }

    /** The client settings of the SASL listener's user: {@code security.protocol}, {@code sasl.*} with the password. */
    public Path saslClientProperties() {
        return dir.resolve(SASL_CLIENT_FILE);
    }

    private Optional<String> listener(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve(PROPERTIES_FILE))) {
            properties.load(reader);
        }
        for (String listener : properties.getProperty("advertised.listeners").split(",")) {
            if (listener.startsWith(name + "://")) {
                return Optional.of(listener.substring(listener.indexOf("//") + 2));
            }
        }
        return Optional.empty();
    }

    /**
     * The broker's process, if its PID file names one that is alive and is that broker: the PID
     * file also records the process's start time, so a PID reused by another process after a
     * crash or a reboot is never taken for the broker (or signalled by {@link #stop}).
     */
    public Optional<ProcessHandle> process() throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String[] fields = Files.readString(pidFile).trim().split("\\s+");
        long pid;
        long startedAt;
        try {
            pid = Long.parseLong(fields[0]);
            startedAt = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> startMillis(handle) == startedAt);
    }

    private static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-2L);
    }

    /**
     * Starts the broker, formatting its storage first if this directory is new, and waits until it
     * answers.
     *
     * @throws IOException if it is already running, does not start, or does not answer in time
     */
    public ProcessHandle start(int port, int controllerPort, Duration timeout) throws IOException, InterruptedException {
        return start(port, controllerPort, OptionalInt.empty(), timeout);
    }

    /**
     * As {@link #start(int, int, Duration)}, with a SASL_PLAINTEXT listener on {@code saslPort} if
     * given (see the class comment).
     */
    public ProcessHandle start(int port, int controllerPort, OptionalInt saslPort, Duration timeout)
            throws IOException, InterruptedException {
        Optional<ProcessHandle> running = process();
        if (running.isPresent()) {
            throw new IOException("a broker is already running from " + dir + " (pid " + running.get().pid() + ")");
        }
        Files.createDirectories(dir.resolve("logs"));
        Files.deleteIfExists(saslClientProperties());
        writeServerProperties(port, controllerPort, saslPort.isPresent() ? Optional.of(newPassword()) : Optional.empty(),
                saslPort);
        if (saslPort.isPresent()) {
            requireFree(saslPort.getAsInt());
        }
        Path log4j = dir.resolve("log4j2.properties");
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("broker-log4j2.properties")) {
            Files.write(log4j, in.readAllBytes());
        }
        requireFree(port);
        requireFree(controllerPort);
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(timeout);
        }
        List<String> command = new ArrayList<>(detachedFromTerminal());
        command.addAll(javaCommand());
        command.add("kafka.Kafka");
        command.add(dir.resolve(PROPERTIES_FILE).toString());
        Path out = dir.resolve("broker.out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        Files.writeString(dir.resolve(PID_FILE), process.pid() + " " + startMillis(process.toHandle()) + "\n");
        try {
            awaitAnswer(process, timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A broker that does not answer is not left running.
            stop(Duration.ofSeconds(30));
            throw e;
        }
        return process.toHandle();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after {@code timeout}); false if it was not running. */
    public boolean stop(Duration timeout) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = process();
        if (running.isEmpty()) {
            Files.deleteIfExists(dir.resolve(PID_FILE));
            return false;
        }
        ProcessHandle broker = running.get();
        broker.destroy();
        try {
            broker.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            broker.destroyForcibly();
            broker.onExit().join();
        }
        Files.deleteIfExists(dir.resolve(PID_FILE));
        return true;
    }

    /** Whether the broker answers a metadata request within {@code timeout}. */
    public boolean answers(Duration timeout) throws IOException {
        if (!listening()) {
            return false;
        }
        try (Admin admin = admin(timeout)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Has this broker stopped when the process {@code ownerPid} ends, however it ends (even by
     * SIGKILL, when no shutdown hook runs): a small watcher process checks every second. For tests
     * and benchmarks, whose brokers must not outlive them.
     */
    public void stopWhenProcessExits(long ownerPid) throws IOException {
        long brokerPid = process().orElseThrow(() -> new IOException("the broker is not running")).pid();
        List<String> command = new ArrayList<>(detachedFromTerminal());
        command.addAll(List.of("/bin/sh", "-c",
                "while kill -0 " + ownerPid + " 2>/dev/null && kill -0 " + brokerPid + " 2>/dev/null; do sleep 1; done;"
                        + " kill " + brokerPid + " 2>/dev/null; exit 0"));
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Creates topics that do not exist yet, with the given partition counts. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws IOException, InterruptedException {
        createTopics(bootstrapServers(), partitionsByTopic);
    }

    /** Creates topics that do not exist yet on the brokers at {@code bootstrapServers}. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic)
            throws IOException, InterruptedException {
        create(bootstrapServers, partitionsByTopic.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .collect(Collectors.toList()));
    }

    /** The largest record of a model topic: the job's default largest model file, and room for its key. */
    public static final int MODEL_TOPIC_MAX_MESSAGE_BYTES = 64 * 1024 * 1024 + 64 * 1024;

    /**
     * Creates model topics that do not exist yet: one partition, compacted — the newest version of
     * each model name stays — and records of up to {@link #MODEL_TOPIC_MAX_MESSAGE_BYTES}.
     */
    public static void createModelTopics(String bootstrapServers, List<String> topics) throws IOException, InterruptedException {
        create(bootstrapServers, topics.stream()
                .map(topic -> new NewTopic(topic, 1, (short) 1).configs(Map.of(
                        "cleanup.policy", "compact",
                        "max.message.bytes", Integer.toString(MODEL_TOPIC_MAX_MESSAGE_BYTES))))
                .collect(Collectors.toList()));
    }

    private static void create(String bootstrapServers, List<NewTopic> topics) throws IOException, InterruptedException {
        try (Admin admin = admin(bootstrapServers, Duration.ofSeconds(30))) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IOException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e);
                    }
                } catch (TimeoutException e) {
                    throw new IOException("creating topic " + result.getKey() + " timed out", e);
                }
            }
        }
    }

    /** A cheap first check, so a broker still starting is not asked (and warned about) by a client. */
    private boolean listening() throws IOException {
        String[] hostAndPort = bootstrapServers().split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Admin admin(Duration timeout) throws IOException {
        return admin(bootstrapServers(), timeout);
    }

    private static Admin admin(String bootstrapServers, Duration timeout) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(properties);
    }

    private void writeServerProperties(int port, int controllerPort, Optional<String> saslPassword, OptionalInt saslPort)
            throws IOException {
        String sasl = saslPort.isPresent() ? ",SASL_PLAINTEXT://127.0.0.1:" + saslPort.getAsInt() : "";
        List<String> saslSettings = new ArrayList<>();
        if (saslPassword.isPresent()) {
            saslSettings.add("sasl.enabled.mechanisms=PLAIN");
            saslSettings.add("listener.name.sasl_plaintext.plain.sasl.jaas.config="
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\""
                    + saslPassword.get() + "\";");
            writeSaslClientProperties(saslPassword.get());
        }
        String properties = String.join("\n",
                "# Written by modelcast kafka-local on every start: a single node on loopback.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + sasl + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + sasl,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                String.join("\n", saslSettings),
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                // One node: every internal topic has one replica, and few partitions start fast.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
        Files.writeString(dir.resolve(PROPERTIES_FILE), properties);
    }

    /** What a client of the SASL listener needs, password included; readable by its owner only. */
    private void writeSaslClientProperties(String password) throws IOException {
        Path file = saslClientProperties();
        Files.writeString(file, String.join("\n",
                "# Written by modelcast kafka-local: the settings of the SASL listener's user, for --kafka-properties.",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
                        + "\" password=\"" + password + "\";",
                ""));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the file keeps its default permissions.
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void format(Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", dir.resolve(PROPERTIES_FILE).toString()));
        Path out = dir.resolve("format.out");
        Process format = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!format.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            format.destroyForcibly();
            throw new IOException("formatting the broker's storage timed out; see " + out);
        }
        if (format.exitValue() != 0) {
            throw new IOException("formatting the broker's storage failed: " + Files.readString(out).trim());
        }
    }

    /** {@code count} distinct ports that were free a moment ago, on loopback (for tests and benchmarks). */
    public static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // All held open at once, so no two are the same.
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IOException("port " + port + " on 127.0.0.1 is in use: is another broker running there?", e);
        }
    }

    /** Waits until the process just started — not another broker on the same port — answers. */
    private void awaitAnswer(Process process, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String clusterId = clusterId();
        while (!(answersAs(clusterId) && process.isAlive())) {
            if (!process.isAlive()) {
                Files.deleteIfExists(dir.resolve(PID_FILE));
                throw new IOException("the broker exited with code " + process.exitValue() + ": "
                        + tail(dir.resolve("broker.out")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the broker did not answer within " + timeout.toSeconds() + " s; see "
                        + dir.resolve("logs/server.log"));
            }
            Thread.sleep(200);
        }
    }

    private boolean answersAs(String clusterId) throws IOException {
        if (!listening()) {
            return false;
        }
        try (Admin admin = admin(Duration.ofSeconds(2))) {
            return clusterId.equals(admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String clusterId() throws IOException {
        Properties meta = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("data/meta.properties"))) {
            meta.load(reader);
        }
        return meta.getProperty("cluster.id");
    }

    private List<String> javaCommand() throws IOException {
        String classpath;
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("broker-classpath.txt")) {
            if (in == null) {
                throw new IOException("broker-classpath.txt is missing: build kafka-local with Maven first");
            }
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + dir.resolve("logs"),
                "-cp", classpath);
    }

    /** setsid, where there is one, so a terminal's hang-up or Ctrl-C does not reach the broker. */
    private static List<String> detachedFromTerminal() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return List.of(candidate);
            }
        }
        return List.of();
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
