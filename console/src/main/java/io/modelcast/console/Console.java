package io.modelcast.console;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ExitCodes;
import io.modelcast.cli.ManifestVersion;

import io.modelcast.cli.KafkaClientOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/console}: a JSON API and a web page over the models, the running job's subtasks and
 * the results ({@link ConsoleServer}). Runs until stopped (Ctrl-C).
 */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "Serves a web page and a JSON API (docs/console-api.md) over the models (--models), the running job's"
                    + " subtasks (--flink-rest) and the results in PostgreSQL (--jdbc-url). Each source is optional;"
                    + " the page says which are not connected. Listens on 127.0.0.1 unless --token-file guards it."
        })
public final class Console implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on. Another than loopback needs --token-file. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8090", paramLabel = "PORT", description = "Port to listen on. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--models", paramLabel = "DIR", description = "The models directory, as the job and the fitter use it.")
    Path models;

    @Option(names = "--model-topic", paramLabel = "TOPIC",
            description = "Read the published models from this model topic (the fitter's --to-kafka, the job's --model-topic)"
                    + " instead of a directory; needs --bootstrap-servers.")
    String modelTopic;

    @Option(names = "--flink-rest", paramLabel = "URL",
            description = "The Flink REST API of the cluster the job runs on (the web UI's address), e.g. http://127.0.0.1:8081.")
    URI flinkRest;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "The PostgreSQL database the job writes results to (its --jdbc-url); user and password from"
                    + " PGUSER and PGPASSWORD.")
    String jdbcUrl;

    @Option(names = "--jdbc-table", defaultValue = "modelcast_results", paramLabel = "TABLE",
            description = "The results table (the job's --jdbc-table). Default: ${DEFAULT-VALUE}.")
    String jdbcTable;

    @Option(names = "--lines", paramLabel = "FILE",
            description = "The job's output file (a socket-mode job's standard output, say var/demo/output.txt): its report>,"
                    + " eval> and drift> lines are followed.")
    Path lines;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "The Kafka brokers of the job's report, evaluation and drift topics.")
    String bootstrapServers;

    @Option(names = "--report-topic", paramLabel = "TOPIC", description = "The job's rollout reports (its --report-topic).")
    String reportTopic;

    @Option(names = "--eval-topic", paramLabel = "TOPIC", description = "The job's evaluations (its --eval-topic).")
    String evalTopic;

    @Option(names = "--drift-topic", paramLabel = "TOPIC", description = "The job's drift records (its --drift-topic).")
    String driftTopic;

    @Mixin KafkaClientOptions kafkaClient = KafkaClientOptions.none();

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the token that actions (and a non-loopback --host) need.")
    Path tokenFile;

    @Option(names = "--allow-actions", description = "Offer promote, roll back and retire (each needs the token).")
    boolean allowActions;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsoleSettings settings = settings();
        try (ConsoleServer server = ConsoleServer.start(settings)) {
            spec.commandLine().getOut().println("console: http://" + settings.host() + ":" + server.port() + "/ (Ctrl-C stops it)");
            spec.commandLine().getOut().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "console-stop"));
            stopped.await();
        }
        return ExitCodes.OK;
    }

    /** The options as settings; a usage error says what to change. */
    ConsoleSettings settings() throws IOException {
        Optional<String> token = Optional.empty();
        if (tokenFile != null) {
            String read = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (read.length() < 16) {
                throw new IllegalArgumentException("--token-file " + tokenFile + " holds a token of " + read.length()
                        + " characters: use at least 16 (openssl rand -hex 16)");
            }
            token = Optional.of(read);
        }
        return new ConsoleSettings(host, port, Optional.ofNullable(models).map(Path::toAbsolutePath), Optional.ofNullable(flinkRest),
                Optional.ofNullable(jdbcUrl).map(url -> new ResultsSearch.Source(url, jdbcTable)), token, allowActions,
                Optional.ofNullable(lines), topics());
    }

    /** The job's topics to follow, if any is given; they need --bootstrap-servers. */
    private Optional<ConsoleSettings.Topics> topics() {
        Map<String, EvidenceLog.Kind> kinds = new LinkedHashMap<>();
        if (reportTopic != null) {
            kinds.put(reportTopic, EvidenceLog.Kind.REPORTS);
        }
        if (evalTopic != null) {
            kinds.put(evalTopic, EvidenceLog.Kind.EVALUATIONS);
        }
        if (driftTopic != null) {
            kinds.put(driftTopic, EvidenceLog.Kind.DRIFT);
        }
        if (kinds.isEmpty() && modelTopic == null) {
            return Optional.empty();
        }
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("--model-topic, --report-topic, --eval-topic and --drift-topic need --bootstrap-servers");
        }
        Properties own = new Properties();
        own.put("bootstrap.servers", bootstrapServers);
        return Optional.of(new ConsoleSettings.Topics(kafkaClient.over(own, "bin/console"), kinds, Optional.ofNullable(modelTopic)));
    }

    public static void main(String[] args) {
        System.exit(CommandLines.create(new Console()).execute(args));
    }
}
