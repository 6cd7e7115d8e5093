package io.modelcast.kafkalocal;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ExitCodes;
import io.modelcast.cli.ManifestVersion;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The {@code kafka-local} command line (run through {@code bin/kafka-local}): a single-node Kafka
 * broker on 127.0.0.1 for development — start, stop, status — plus creating topics and printing
 * what arrives in one.
 */
@Command(
        name = "kafka-local",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "A single-node Kafka broker (KRaft) on 127.0.0.1, as a process of its own.",
        subcommands = {
            KafkaLocal.Start.class, KafkaLocal.Stop.class, KafkaLocal.Status.class,
            KafkaLocal.CreateTopics.class, KafkaLocal.Tail.class
        })
public final class KafkaLocal implements Runnable {

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.create(new KafkaLocal()).execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: start, stop, status, create-topics or tail");
    }

    /** The {@code --dir} option: where the broker keeps its files. */
    static final class BrokerDir {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "var/kafka",
                description = "The broker's directory: configuration, data, logs, PID. Default: ${DEFAULT-VALUE}.")
        Path dir;

        LocalKafkaBroker broker() {
            return new LocalKafkaBroker(dir);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the broker (formatting its storage on first start) and waits until it answers.")
    static final class Start implements Callable<Integer> {
        @Mixin BrokerDir brokerDir;

        @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--controller-port", description = "KRaft controller port on 127.0.0.1. Default: --port + 1.")
        Integer controllerPort;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "90s",
                description = "How long to wait for the broker to answer. Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Option(names = "--sasl", description = "Also listen with SASL_PLAINTEXT (PLAIN) for one user, its settings and"
                + " password written to client-sasl.properties in the broker's directory (for the job's --kafka-properties).")
        boolean sasl;

        @Option(names = "--sasl-port", description = "The SASL port on 127.0.0.1, with --sasl. Default: --port + 2.")
        Integer saslPort;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (saslPort != null && !sasl) {
                throw new ParameterException(spec.commandLine(), "--sasl-port goes with --sasl");
            }
            LocalKafkaBroker broker = brokerDir.broker();
            Optional<ProcessHandle> running = broker.process();
            PrintWriter out = spec.commandLine().getOut();
            if (running.isPresent()) {
                out.println("kafka-local: already running at " + broker.bootstrapServers() + " (pid " + running.get().pid() + ")");
                return ExitCodes.OK;
            }
            ProcessHandle process = broker.start(port, controllerPort != null ? controllerPort : port + 1,
                    sasl ? OptionalInt.of(saslPort != null ? saslPort : port + 2) : OptionalInt.empty(), timeout);
            out.println("kafka-local: running at " + broker.bootstrapServers() + " (pid " + process.pid() + ", files in " + broker.dir() + ")");
            if (sasl) {
                out.println("kafka-local: SASL_PLAINTEXT at " + broker.saslBootstrapServers().orElseThrow() + " for user "
                        + LocalKafkaBroker.SASL_USER + "; client settings in " + broker.saslClientProperties());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the broker.")
    static final class Stop implements Callable<Integer> {
        @Mixin BrokerDir brokerDir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            boolean stopped = brokerDir.broker().stop(Duration.ofSeconds(30));
            spec.commandLine().getOut().println(stopped ? "kafka-local: stopped" : "kafka-local: was not running");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Prints the bootstrap address if the broker runs and answers (exit 0), or says it does not (exit 1).")
    static final class Status implements Callable<Integer> {
        @Mixin BrokerDir brokerDir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalKafkaBroker broker = brokerDir.broker();
            Optional<ProcessHandle> running = broker.process();
            PrintWriter out = spec.commandLine().getOut();
            if (running.isEmpty()) {
                out.println("kafka-local: not running (" + broker.dir() + ")");
                return ExitCodes.FAILURE;
            }
            if (!broker.answers(Duration.ofSeconds(5))) {
                out.println("kafka-local: pid " + running.get().pid() + " runs but does not answer at " + broker.bootstrapServers());
                return ExitCodes.FAILURE;
            }
            out.println(broker.bootstrapServers());
            return ExitCodes.OK;
        }
    }

    /** {@code --bootstrap-servers}: another broker than the one in {@code --dir}. */
    static final class Bootstrap {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
                description = "The brokers to use. Default: the broker in --dir.")
        String servers;

        String resolve(BrokerDir brokerDir) throws IOException {
            return servers != null ? servers : brokerDir.broker().bootstrapServers();
        }
    }

    @Command(name = "create-topics", mixinStandardHelpOptions = true,
            description = "Creates topics that do not exist yet. TOPIC or TOPIC:PARTITIONS.")
    static final class CreateTopics implements Callable<Integer> {
        @Mixin BrokerDir brokerDir;

        @Mixin Bootstrap bootstrap;

        @Option(names = "--partitions", defaultValue = "1", description = "Partitions of a TOPIC given without a count. Default: ${DEFAULT-VALUE}.")
        int partitions;

        @Parameters(paramLabel = "TOPIC", arity = "0..*")
        List<String> topics = new ArrayList<>();

        @Option(names = "--model-topic", paramLabel = "TOPIC",
                description = "A topic for models (the job's --model-topic, the fitter's --to-kafka), repeatable: one"
                        + " partition, compacted (the newest version of each model name is kept), records of up to"
                        + " 64 MiB (max.message.bytes), so any model the job accepts fits.")
        List<String> modelTopics = new ArrayList<>();

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (topics.isEmpty() && modelTopics.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Missing TOPIC or --model-topic TOPIC");
            }
            if (!modelTopics.isEmpty()) {
                LocalKafkaBroker.createModelTopics(bootstrap.resolve(brokerDir), modelTopics);
                spec.commandLine().getOut().println("kafka-local: model topics " + modelTopics
                        + " exist (compacted, records up to 64 MiB)");
            }
            if (topics.isEmpty()) {
                return ExitCodes.OK;
            }
            Map<String, Integer> byTopic = new LinkedHashMap<>();
            for (String topic : topics) {
                int colon = topic.lastIndexOf(':');
                try {
                    byTopic.put(colon < 0 ? topic : topic.substring(0, colon),
                            colon < 0 ? partitions : Integer.parseInt(topic.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "not TOPIC or TOPIC:PARTITIONS: " + topic);
                }
            }
            LocalKafkaBroker.createTopics(bootstrap.resolve(brokerDir), byTopic);
            spec.commandLine().getOut().println("kafka-local: topics " + byTopic + " exist");
            return ExitCodes.OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Prints the values arriving in a topic, one per line, until stopped; only committed"
                    + " transactions unless --read-uncommitted.")
    static final class Tail implements Callable<Integer> {
        @Mixin BrokerDir brokerDir;

        @Mixin Bootstrap bootstrap;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--from-beginning", description = "Start at the oldest record, not at the end.")
        boolean fromBeginning;

        @Option(names = "--read-uncommitted", description = "Also print records of open or aborted transactions.")
        boolean readUncommitted;

        @Option(names = "--with-key", description = "Print KEY<tab>VALUE.")
        boolean withKey;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.resolve(brokerDir));
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-local-tail-" + UUID.randomUUID());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readUncommitted ? "read_uncommitted" : "read_committed");
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                Runtime.getRuntime().addShutdownHook(new Thread(consumer::wakeup, "tail-stop"));
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
                        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                        out.println(withKey ? key + "\t" + value : value);
                    }
                    out.flush();
                }
            } catch (WakeupException stopped) {
                return ExitCodes.OK;
            }
        }
    }
}
