package io.modelcast.tcpsource;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.Durations;
import io.modelcast.cli.ExitCodes;
import io.modelcast.cli.ManifestVersion;

import io.modelcast.cli.KafkaClientOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tcpsource} command line: a TCP server on loopback that emits the test data the job
 * reads. Seed mode (default) sends {@code 0}..{@code 19} to every client, then waits {@code
 * --delay}, forever; load mode ({@code --count}) sends one client N lines and exits.
 */
@Command(
        name = "tcpsource",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "A TCP server that emits test data, one integer per line; or, with --kafka-topic, the same"
                    + " data written to a Kafka topic (key: the record's sequence number).",
            "Seed mode (default): sends 0..19, waits --delay, and again, to every client, until"
                    + " stopped (Ctrl-C); clients may reconnect.",
            "Load mode (--count N): sends one client N lines (0..19 repeated) as fast as it reads"
                    + " them, or at --rate lines/s, then closes the connection and exits.",
            "Labelled mode (--labelled): JSON records {\"id\":…,\"features\":[…]} at --rate per second on --port,"
                    + " each record's label (id,label) --label-delay later on --label-port; the hidden concept changes"
                    + " every --concept-every, going round --concepts: data that drifts, for live evaluation."
        })
public final class TcpSource implements Callable<Integer> {

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "9999",
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--delay",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "Seed mode: pause after each round of 0..19. Default: ${DEFAULT-VALUE}.")
    Duration delay;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "Load mode: send N lines to one client, then exit.")
    Long count;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "Load mode: send R lines per second. Default: as fast as the client reads.")
    Long rate;

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "Send the lines of FILE (UTF-8; blank lines skipped) instead of 0..19: a round is the"
                    + " whole file, and load mode repeats it. For feature models: CSV or JSON records, one per line.")
    Path file;

    @Option(
            names = "--kafka-topic",
            paramLabel = "TOPIC",
            description = "Write to this Kafka topic instead of serving TCP clients.")
    String kafkaTopic;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,…]",
            defaultValue = "127.0.0.1:9092",
            description = "With --kafka-topic: the brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Mixin KafkaClientOptions kafkaClients = new KafkaClientOptions();

    @Option(names = "--labelled", description = "Labelled mode: records and, later, their labels (see above).")
    boolean labelled;

    @Option(names = "--label-port", paramLabel = "PORT", defaultValue = "9998",
            description = "Labelled mode: port the labels are served on. Default: ${DEFAULT-VALUE}.")
    int labelPort;

    @Option(names = "--label-delay", paramLabel = "DURATION", defaultValue = "2s",
            description = "Labelled mode: how long after its record a label is sent. Default: ${DEFAULT-VALUE}.")
    Duration labelDelay;

    @Option(names = "--features", paramLabel = "K", defaultValue = "8",
            description = "Labelled mode: features per record. Default: ${DEFAULT-VALUE}.")
    int features;

    @Option(names = "--concepts", paramLabel = "C[,C…]", split = ",", defaultValue = "42",
            description = "Labelled mode: the hidden concepts (seeds, as fitter gen-data --concept), in turn. Default: ${DEFAULT-VALUE}.")
    List<Long> concepts;

    @Option(names = "--concept-every", paramLabel = "DURATION", defaultValue = "60s",
            description = "Labelled mode: how long each concept lasts. Default: ${DEFAULT-VALUE}.")
    Duration conceptEvery;

    @Spec CommandSpec spec;

    private DemoLines lines;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@link #main} runs; tests run it too. */
    public static CommandLine commandLine() {
        return CommandLines.create(new TcpSource());
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        validateOptions();
        if (labelled) {
            return runLabelled(InetAddress.getByName(host), spec.commandLine().getOut());
        }
        lines = file == null ? new DemoLines() : DemoLines.fromFile(file);
        if (kafkaTopic != null) {
            return runKafka(spec.commandLine().getOut());
        }
        InetAddress address = InetAddress.getByName(host);
        PrintWriter out = spec.commandLine().getOut();
        try {
            return count == null ? runSeedMode(address, out) : runLoadMode(address, out);
        } catch (BindException e) {
            throw new IOException(
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage()
                            + " (is another tcpsource running? pick another --port)",
                    e);
        }
    }

    private void validateOptions() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535");
        }
        if (count != null && count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must not be negative");
        }
        if (delay.isZero()) {
            throw new ParameterException(spec.commandLine(), "--delay must be longer than 0s");
        }
        if (rate != null && count == null && !labelled) {
            throw new ParameterException(spec.commandLine(), "--rate only goes with --count (load mode) or --labelled");
        }
        if (labelled && (count != null || file != null || kafkaTopic != null)) {
            throw new ParameterException(spec.commandLine(), "--labelled makes its own records: no --count, --file or --kafka-topic");
        }
        if (labelled && (features < 1 || concepts.isEmpty() || conceptEvery.isZero() || conceptEvery.isNegative()
                || labelDelay.isNegative() || labelPort < 0 || labelPort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--labelled needs --features of at least 1, one --concepts or more,"
                    + " a --concept-every above 0s, a --label-delay of 0s or more and a --label-port from 0 to 65535");
        }
        if (rate != null && rate < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1 line per second");
        }
        ParseResult parsed = spec.commandLine().getParseResult();
        if (kafkaTopic != null && (parsed.hasMatchedOption("--host") || parsed.hasMatchedOption("--port"))) {
            throw new ParameterException(spec.commandLine(), "--host and --port do not apply with --kafka-topic");
        }
        for (String kafkaOnly : new String[] {"--bootstrap-servers", "--kafka-properties", "--kafka-property"}) {
            if (kafkaTopic == null && parsed.hasMatchedOption(kafkaOnly)) {
                throw new ParameterException(spec.commandLine(), kafkaOnly + " only goes with --kafka-topic");
            }
        }
    }

    private int runSeedMode(InetAddress address, PrintWriter out)
            throws IOException, InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (SeedServer server = new SeedServer(address, port, delay, lines, out)) {
            int bound = server.start();
            out.println("tcpsource listening on " + address.getHostAddress() + ":" + bound
                    + " (seed mode: " + lines.describeRound() + " every " + Durations.format(delay) + ")");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // Exiting anyway.
                }
                out.println("tcpsource stopped");
                out.flush();
                stopped.countDown();
            }, "tcpsource-stop"));
            stopped.await();
        }
        return ExitCodes.OK;
    }

    private int runKafka(PrintWriter out) throws IOException, InterruptedException {
        try (KafkaFeed feed = new KafkaFeed(bootstrapServers, kafkaClients, kafkaTopic, lines, out)) {
            if (count != null) {
                out.println("tcpsource writing " + count + " records to topic " + kafkaTopic + " at " + bootstrapServers
                        + (rate == null ? "" : " at " + rate + " records/s"));
                out.flush();
                feed.runLoad(count, rate == null ? OptionalLong.empty() : OptionalLong.of(rate));
                return ExitCodes.OK;
            }
            out.println("tcpsource writing " + lines.describeRound() + " every " + Durations.format(delay) + " to topic " + kafkaTopic
                    + " at " + bootstrapServers);
            out.flush();
            CountDownLatch finished = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                feed.stop();
                try {
                    finished.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.println("tcpsource stopped");
                out.flush();
            }, "tcpsource-stop"));
            try {
                feed.runRounds(delay);
            } finally {
                finished.countDown();
            }
        }
        return ExitCodes.OK;
    }

    private int runLabelled(InetAddress address, PrintWriter out) throws IOException {
        try (LabelledServer server = new LabelledServer(address, port, labelPort, concepts, features, conceptEvery,
                rate == null ? 100 : rate, labelDelay, out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // Exiting anyway.
                }
            }, "tcpsource-stop"));
            out.println("tcpsource listening on " + address.getHostAddress() + ":" + server.port() + " and, for labels, "
                    + address.getHostAddress() + ":" + server.labelPort() + " (" + server.describe() + ")");
            out.flush();
            server.serve();
        }
        return ExitCodes.OK;
    }

    private int runLoadMode(InetAddress address, PrintWriter out) throws IOException {
        OptionalLong linesPerSecond = rate == null ? OptionalLong.empty() : OptionalLong.of(rate);
        try (LoadServer server = new LoadServer(address, port, count, linesPerSecond, lines, out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // Exiting anyway.
                }
            }, "tcpsource-stop"));
            out.println("tcpsource listening on " + address.getHostAddress() + ":" + server.port()
                    + " (load mode: " + count + " lines"
                    + (rate == null ? "" : " at " + rate + " lines/s") + ", one client)");
            out.flush();
            server.serveOneClient();
        }
        return ExitCodes.OK;
    }
}
