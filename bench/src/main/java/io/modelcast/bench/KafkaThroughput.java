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

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Spec CommandSpec spec;

    /**
     * One delivery guarantee's figures.
     *
     * @param job the job's records/s, one per run
     * @param plain plain Flink's records/s, one per run, taken in turns with the job's
     */
    record Result(String delivery, List<Double> job, List<Double> plain, double p50Millis, double p99Millis, double maxMillis) {
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
        List<Result> results = measure(new Project(root), Files.createTempDirectory("modelcast-kafka-bench"), records,
                repetitions, latencyRate, latencySeconds, parallelism, checkpointInterval, shadow, jobOptions, out);
        out.printf("%nKafka s0 → job → s2%s against plain Flink, parallelism %d, checkpoint every %s, %d-record backlog,"
                        + " medians of %d runs taking turns; latency at %d records/s:%n",
                shadow ? " (and a shadow challenger → shadow topic)" : "", parallelism, Durations.format(checkpointInterval),
                records, repetitions, latencyRate);
        out.printf("%-14s %12s %12s %7s %10s %10s %10s%n", "delivery", "job rec/s", "plain rec/s", "ratio", "p50 (ms)", "p99 (ms)", "max (ms)");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-14s %12.0f %12.0f %7.2f %10.0f %10.0f %10.0f%n", r.delivery(), r.jobMedian(), r.plainMedian(),
                    r.ratio(), r.p50Millis(), r.p99Millis(), r.maxMillis());
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
                results.add(run.run(project, broker, models, work.resolve(delivery), delivery, out));
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

    private Result run(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, PrintWriter out) throws Exception {
        Files.createDirectories(work);
        List<Double> job = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
            // Taking turns on the same backlog, so the drifts of a shared machine hit both alike.
            String output = "s2-plain-" + delivery + "-" + i;
            broker.createTopics(Map.of(output, 1));
            plain.add(throughput(broker, output, delivery, out, Processes.start(plainJobCommand(project, broker, work, delivery, output, i),
                    work.resolve("plain-" + i + ".out"))));
            output = "s2-job-" + delivery + "-" + i;
            broker.createTopics(Map.of(output, 1, "dlq-" + delivery + "-" + i, 1, "shadow-" + delivery + "-" + i, 1));
            job.add(throughput(broker, output, delivery, out, Processes.start(jobCommand(project, broker, models, work, delivery,
                    "s0", output, "bench-" + delivery + "-" + i, i, jobOptions), work.resolve("job-" + i + ".out"))));
            out.printf(Locale.ROOT, "%s run %d: plain Flink %.0f records/s, job %.0f records/s (%.2f×)%n", delivery, i,
                    plain.get(i - 1), job.get(i - 1), job.get(i - 1) / plain.get(i - 1));
            out.flush();
        }
        return latency(project, broker, models, work, delivery, job, plain, out);
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
    private Result latency(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, List<Double> job,
            List<Double> plain, PrintWriter out) throws Exception {
        String input = "s0-latency-" + delivery;
        String output = "s2-latency-" + delivery;
        broker.createTopics(Map.of(input, parallelism, output, 1, "dlq-" + delivery + "-0", 1, "shadow-" + delivery + "-0", 1));
        Process jobProcess = Processes.start(jobCommand(project, broker, models, work, delivery, input, output,
                "bench-latency-" + delivery, 0, List.of()), work.resolve("job-latency.out"));
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(broker.bootstrapServers(), output)) {
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
            return new Result(delivery, job, plain, Stats.percentile(latencies, 50), Stats.percentile(latencies, 99),
                    latencies.get(latencies.size() - 1));
        } finally {
            Processes.stop(jobProcess);
        }
    }

    private List<String> jobCommand(Project project, LocalKafkaBroker broker, Path models, Path work, String delivery, String input,
            String output, String group, int run, List<String> extra) throws Exception {
        List<String> job = project.localJobCommand(work.resolve("job-" + run + ".log"));
        job.addAll(List.of("--source", "kafka", "--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", input, "--output-topic", output, "--dead-letter-topic", "dlq-" + delivery + "-" + run,
                "--group-id", group, "--starting-offsets", "earliest", "--delivery", delivery,
                "--parallelism", Integer.toString(parallelism), "--checkpoint-interval", Durations.format(checkpointInterval),
                "--models", models.toString(), "--web-port", Integer.toString(Project.freePort())));
        if (shadow) {
            job.addAll(List.of("--shadow-topic", "shadow-" + delivery + "-" + run));
        }
        job.addAll(extra);
        return job;
    }

    private List<String> plainJobCommand(Project project, LocalKafkaBroker broker, Path work, String delivery, String output, int run)
            throws Exception {
        List<String> plain = project.benchJobCommand("io.modelcast.benchjob.PlainKafkaJob", work.resolve("plain-" + run + ".log"), List.of());
        plain.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--input-topic", "s0", "--output-topic", output,
                "--group-id", "plain-" + delivery + "-" + run, "--delivery", delivery, "--parallelism", Integer.toString(parallelism),
                "--checkpoint-interval", Durations.format(checkpointInterval)));
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
