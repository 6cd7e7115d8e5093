package io.modelcast.bench;

import io.modelcast.cli.Durations;
import io.modelcast.kafkalocal.LocalKafkaBroker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka path end to end, on a local broker, for each delivery guarantee: records/s from s0 to
 * committed results in s2 (a backlog of {@code --records} records, timed from the first committed
 * result to the last) for the job and for a plain Flink job doing the same work ({@code
 * PlainKafkaJob} of bench-job: KafkaSource → a map applying the seed model → KafkaSink), taking
 * turns on the same backlog; then the job's end-to-end latency — from the input record's timestamp
 * to the moment a {@code read_committed} consumer receives its result — with records arriving at a
 * fixed rate.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Records/s of s0 → job → s2 against plain Flink, and end-to-end latency, exactly-once and at-least-once.")
final class KafkaThroughput implements Callable<Integer> {

    /** The job's records/s over plain Flink's that the Kafka path aims for. */
    static final double TARGET_RATIO = 0.95;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--records", defaultValue = "1000000", description = "Backlog for the throughput runs. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(names = "--repetitions", defaultValue = "3", description = "Throughput runs of each job per guarantee, taking turns. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--latency-rate", defaultValue = "10000", description = "Records/s during the latency run. Default: ${DEFAULT-VALUE}.")
    long latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the latency run. Default: ${DEFAULT-VALUE}.")
    long latencySeconds;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism and s0 partitions. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "The job's checkpoint interval: exactly-once results become visible at each. Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    @Option(names = "--shadow", description = "Run a shadow challenger beside the champion, its lines to a shadow topic with"
            + " the same guarantee (to compare with a run without).")
    boolean shadow;

    @Option(names = "--job-option", paramLabel = "ARG", description = "An extra argument for the job's throughput runs"
            + " (repeat it: --job-option=--batch-size --job-option=256), to measure a setting.")
    List<String> jobOptions = new ArrayList<>();

    @Option(names = "--settings", split = ",", paramLabel = "SETTINGS", defaultValue = "kafka-defaults,tuned",
            converter = SettingsConverter.class, description = "Producer settings to compare with, each on both jobs:"
            + " kafka-defaults (Kafka's own) and tuned (the job's defaults). Default: ${DEFAULT-VALUE}.")
    List<Settings> settings;

    static final class SettingsConverter implements picocli.CommandLine.ITypeConverter<Settings> {
        @Override
        public Settings convert(String value) {
            return Settings.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Option(names = "--plain-output", defaultValue = "same-as-job", paramLabel = "OUTPUT",
            description = "What plain Flink writes: same-as-job (the job's records: key, timestamp, its JSON line) or small"
                    + " ({\"input\",\"output\",\"version\"}, no key: a third of the bytes). Default: ${DEFAULT-VALUE}.")
    String plainOutput = "same-as-job";

    @Option(names = "--profile", paramLabel = "DIR", description = "Record each job's first throughput run with JFR into DIR"
            + " and print where each spent its time.")
    Path profile;

    @Spec CommandSpec spec;

    /** The producer settings both jobs run with. */
    enum Settings {
        /** Kafka's own producer defaults (linger.ms 5, batch.size 16384, no compression) on both: the job's path against Flink's. */
        KAFKA_DEFAULTS(List.of("linger.ms=5", "batch.size=16384", "compression.type=none")),
        /** The job's producer defaults ({@code ClientProperties}) on both. */
        TUNED(List.of("linger.ms=20", "batch.size=131072", "compression.type=lz4"));

        final List<String> producerProperties;

        Settings(List<String> producerProperties) {
            this.producerProperties = producerProperties;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** {@code --producer-property} for each setting. */
        List<String> arguments() {
            List<String> arguments = new ArrayList<>();
            producerProperties.forEach(p -> arguments.addAll(List.of("--producer-property", p)));
            return arguments;
        }
    }

    /** The job's end-to-end latency at a fixed rate, in milliseconds. */
    record Latency(double p50Millis, double p99Millis, double maxMillis) {}

    /**
     * One delivery guarantee's figures with one set of producer settings.
     *
     * @param job the job's records/s, one per run
     * @param plain plain Flink's records/s, one per run, taken in turns with the job's
     * @param latency the job's latency, measured with its own (tuned) settings only; null for the others
     */
    record Result(String delivery, Settings settings, List<Double> job, List<Double> plain, Latency latency) {
        /** The latency, if it was measured with these settings. */
        Optional<Latency> measuredLatency() {
            return Optional.ofNullable(latency);
        }

        double jobMedian() {
            return Stats.median(job);
        }

        double plainMedian() {
            return Stats.median(plain);
        }

        /** The job's median over plain Flink's. */
        double ratio() {
            return jobMedian() / plainMedian();
        }

        boolean targetMet() {
            return ratio() >= TARGET_RATIO;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Result> results = measure(new Project(root), Files.createTempDirectory("modelcast-kafka-bench"), this, out);
        out.printf("%nKafka s0 → job → s2%s against plain Flink, parallelism %d, checkpoint every %s, %d-record backlog,"
                        + " medians of %d runs taking turns; latency at %d records/s:%n",
                shadow ? " (and a shadow challenger → shadow topic)" : "", parallelism, Durations.format(checkpointInterval),
                records, repetitions, latencyRate);
        out.printf("%-14s %-15s %12s %12s %7s %10s %10s %10s%n", "delivery", "settings", "job rec/s", "plain rec/s", "ratio",
                "p50 (ms)", "p99 (ms)", "max (ms)");
        for (Result r : results) {
            Latency latency = r.measuredLatency().orElse(new Latency(Double.NaN, Double.NaN, Double.NaN));
            out.printf(Locale.ROOT, "%-14s %-15s %12.0f %12.0f %7.2f %10.0f %10.0f %10.0f%n", r.delivery(), r.settings().label(),
                    r.jobMedian(), r.plainMedian(), r.ratio(), latency.p50Millis(), latency.p99Millis(), latency.maxMillis());
        }
        return 0;
    }

    /** Both delivery guarantees, on a broker of their own that is stopped afterwards; progress to {@code out}. */
    static List<Result> measure(Project project, Path work, long records, int repetitions, long latencyRate, long latencySeconds,
            int parallelism, Duration checkpointInterval, boolean shadow, List<String> jobOptions, PrintWriter out) throws Exception {
        KafkaThroughput run = new KafkaThroughput();
        run.shadow = shadow;
        run.records = records;
        run.repetitions = repetitions;
        run.latencyRate = latencyRate;
        run.latencySeconds = latencySeconds;
        run.parallelism = parallelism;
        run.checkpointInterval = checkpointInterval;
        run.jobOptions = jobOptions;
        run.settings = List.of(Settings.values());
        return measure(project, work, run, out);
    }

    private static List<Result> measure(Project project, Path work, KafkaThroughput run, PrintWriter out) throws Exception {
        long records = run.records;
        int parallelism = run.parallelism;
        LocalKafkaBroker broker = new LocalKafkaBroker(work.resolve("kafka"));
        int[] ports = LocalKafkaBroker.freePorts(2);
        broker.start(ports[0], ports[1], Duration.ofSeconds(120));
        broker.stopWhenProcessExits(ProcessHandle.current().pid());
        List<Result> results = new ArrayList<>();
        try {
            Path models = run.models(project, work);
            broker.createTopics(Map.of("s0", parallelism));
            out.printf("writing a backlog of %d records to s0 …%n", records);
            out.flush();
            Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(), "--kafka-topic", "s0",
                    "--bootstrap-servers", broker.bootstrapServers(), "--count", Long.toString(records)),
                    work.resolve("backlog.log"), Duration.ofMinutes(10));
            for (String delivery : List.of("exactly-once", "at-least-once")) {
                for (Settings settings : run.settings) {
                    results.add(run.run(project, broker, models, work.resolve(delivery + "-" + settings.label()), delivery, settings, out));
                }
            }
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
        return results;
    }

    private Path models(Project project, Path work) throws Exception {
        Path models = Files.createDirectories(work.resolve("models"));
        Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("fitter").toString(), "fit", "--models", models.toString()),
                work.resolve("fitter.log"), Duration.ofMinutes(1));
        if (shadow) {
            Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("fitter").toString(), "fit", "--models", models.toString(),
                    "--role", "challenger", "--rollout", "shadow", "--promote-after", Long.toString(Long.MAX_VALUE)),
                    work.resolve("fitter-challenger.log"), Duration.ofMinutes(1));
        }
        return models;
    }

    private Result run(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, Settings settings,
            PrintWriter out) throws Exception {
        String tag = delivery + "-" + settings.label();
        List<String> jobArguments = new ArrayList<>(settings == Settings.TUNED ? List.of() : settings.arguments());
        jobArguments.addAll(jobOptions);
        Files.createDirectories(work);
        List<Double> job = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
            // Taking turns on the same backlog, so the drifts of a shared machine hit both alike.
            String output = "s2-plain-" + tag + "-" + i;
            broker.createTopics(Map.of(output, 1));
            plain.add(throughput(broker, output, delivery, out, Processes.start(plainJobCommand(project, broker, work, delivery, output,
                    tag + "-" + i, settings.arguments(), recording(tag, "plain", i)), work.resolve("plain-" + i + ".out"))));
            output = "s2-job-" + tag + "-" + i;
            broker.createTopics(Map.of(output, 1, "dlq-" + tag + "-" + i, 1, "shadow-" + tag + "-" + i, 1));
            job.add(throughput(broker, output, delivery, out, Processes.start(jobCommand(project, broker, models, work, delivery,
                    "s0", output, tag + "-" + i, jobArguments, recording(tag, "job", i)), work.resolve("job-" + i + ".out"))));
            out.printf(Locale.ROOT, "%s, %s, run %d: plain Flink %.0f records/s, job %.0f records/s (%.2f×)%n", delivery,
                    settings.label(), i, plain.get(i - 1), job.get(i - 1), job.get(i - 1) / plain.get(i - 1));
            out.flush();
        }
        if (profile != null) {
            for (String which : List.of("plain", "job")) {
                JfrProfile recorded = JfrProfile.read(recording(tag, which, 1).get(), 15);
                out.printf("%s, %s: %d samples%n  threads %s%n  self %s%n  total %s%n", tag, which, recorded.samples(),
                        recorded.byThread(), recorded.selfByMethod(), recorded.totalByMethod());
            }
        }
        Latency latency = settings == Settings.TUNED ? latency(project, broker, models, work, delivery, tag, jobOptions, out) : null;
        return new Result(delivery, settings, job, plain, latency);
    }

    /** Where run {@code i} of {@code which} is recorded with JFR: only the first run, and only with --profile. */
    private Optional<Path> recording(String tag, String which, int i) {
        return profile == null || i != 1 ? Optional.empty() : Optional.of(profile.toAbsolutePath().resolve(which + "-" + tag + ".jfr"));
    }

    private static List<String> jvmOptions(Optional<Path> recording) throws IOException {
        if (recording.isEmpty()) {
            return List.of();
        }
        Files.createDirectories(recording.get().getParent());
        return List.of("-XX:StartFlightRecording=filename=" + recording.get() + ",settings=profile,dumponexit=true");
    }

    /** Records/s from the first committed result in {@code output} to the last of the backlog; stops {@code process}. */
    private double throughput(LocalKafkaBroker broker, String output, String delivery, PrintWriter out, Process process) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(broker.bootstrapServers(), output)) {
            long firstAt = 0;
            long countAtFirst = 0;
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (count < records) {
                int polled = consumer.poll(Duration.ofMillis(100)).count();
                if (polled > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                    countAtFirst = polled;
                }
                count += polled;
                Processes.check(process, deadline, "the backlog was not scored (" + delivery + " into " + output + ")");
            }
            return (count - countAtFirst) / ((System.nanoTime() - firstAt) / 1e9);
        } finally {
            Processes.stop(process);
        }
    }

    /** The job's latency at a fixed rate, on an input topic of its own. */
    private Latency latency(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, String tag,
            List<String> jobArguments, PrintWriter out) throws Exception {
        String input = "s0-latency-" + tag;
        String output = "s2-latency-" + tag;
        String run = tag + "-latency";
        broker.createTopics(Map.of(input, parallelism, output, 1, "dlq-" + run, 1, "shadow-" + run, 1));
        Process jobProcess = Processes.start(jobCommand(project, broker, models, work, delivery, input, output, run,
                jobArguments, Optional.empty()), work.resolve("job-latency.out"));
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(broker.bootstrapServers(), output)) {
            // One record first, so the timed ones do not wait for the job to start.
            Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(), "--kafka-topic", input,
                    "--bootstrap-servers", broker.bootstrapServers(), "--count", "1"), work.resolve("warm-up.log"), Duration.ofMinutes(1));
            long warmUpDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                Processes.check(jobProcess, warmUpDeadline, "the job did not score its first record");
            }
            out.printf("%s: latency, %d records/s for %d s …%n", delivery, latencyRate, latencySeconds);
            out.flush();
            long latencyRecords = latencyRate * latencySeconds;
            Process feed = Processes.start(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(),
                    "--kafka-topic", input, "--bootstrap-servers", broker.bootstrapServers(),
                    "--count", Long.toString(latencyRecords), "--rate", Long.toString(latencyRate)), work.resolve("feed.log"));
            List<Long> latencies = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(latencySeconds + 120);
            while (latencies.size() < latencyRecords) {
                for (ConsumerRecord<byte[], byte[]> result : consumer.poll(Duration.ofMillis(50))) {
                    latencies.add(System.currentTimeMillis() - result.timestamp());
                }
                Processes.check(jobProcess, deadline, "the latency run did not finish");
            }
            Processes.stop(feed);
            latencies.sort(null);
            return new Latency(Stats.percentile(latencies, 50), Stats.percentile(latencies, 99), latencies.get(latencies.size() - 1));
        } finally {
            Processes.stop(jobProcess);
        }
    }

    private List<String> jobCommand(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, String input,
            String output, String run, List<String> extra, Optional<Path> recording) throws Exception {
        List<String> job = project.localJobCommand(work.resolve("job-" + run + ".log"), jvmOptions(recording));
        job.addAll(List.of("--source", "kafka", "--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", input, "--output-topic", output, "--dead-letter-topic", "dlq-" + run,
                "--group-id", "bench-" + run, "--starting-offsets", "earliest", "--delivery", delivery,
                "--parallelism", Integer.toString(parallelism), "--checkpoint-interval", Durations.format(checkpointInterval),
                "--models", models.toString(), "--web-port", Integer.toString(Project.freePort())));
        if (shadow) {
            job.addAll(List.of("--shadow-topic", "shadow-" + run));
        }
        job.addAll(extra);
        return job;
    }

    private List<String> plainJobCommand(Project project, LocalKafkaBroker broker, Path work, String delivery, String output, String run,
            List<String> producerArguments, Optional<Path> recording) throws Exception {
        List<String> plain = project.benchJobCommand("io.modelcast.benchjob.PlainKafkaJob", work.resolve("plain-" + run + ".log"),
                jvmOptions(recording));
        plain.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--input-topic", "s0", "--output-topic", output,
                "--group-id", "plain-" + run, "--delivery", delivery, "--parallelism", Integer.toString(parallelism),
                "--checkpoint-interval", Durations.format(checkpointInterval), "--output", plainOutput));
        plain.addAll(producerArguments);
        return plain;
    }

    private static KafkaConsumer<byte[], byte[]> readCommitted(String bootstrap, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + topic);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
