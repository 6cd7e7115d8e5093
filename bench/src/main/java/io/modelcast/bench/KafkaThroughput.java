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
 * result to the last), then the end-to-end latency — from the input record's timestamp to the
 * moment a {@code read_committed} consumer receives its result — with records arriving at a fixed
 * rate.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Records/s and end-to-end latency of s0 → job → s2, exactly-once and at-least-once.")
final class KafkaThroughput implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--records", defaultValue = "1000000", description = "Backlog for the throughput run. Default: ${DEFAULT-VALUE}.")
    long records;

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

    @Spec CommandSpec spec;

    /** One delivery guarantee's figures. */
    record Result(String delivery, double recordsPerSecond, double p50Millis, double p99Millis, double maxMillis) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Result> results = measure(new Project(root), Files.createTempDirectory("modelcast-kafka-bench"), records,
                latencyRate, latencySeconds, parallelism, checkpointInterval, shadow, out);
        out.printf("%nKafka s0 → job → s2%s, parallelism %d, checkpoint every %s, %d-record backlog, latency at %d records/s:%n",
                shadow ? " (and a shadow challenger → shadow topic)" : "", parallelism, Durations.format(checkpointInterval),
                records, latencyRate);
        out.printf("%-14s %14s %12s %12s %12s%n", "delivery", "records/s", "p50 (ms)", "p99 (ms)", "max (ms)");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-14s %14.0f %12.0f %12.0f %12.0f%n", r.delivery(), r.recordsPerSecond(), r.p50Millis(), r.p99Millis(), r.maxMillis());
        }
        return 0;
    }

    /** Both delivery guarantees, on a broker of their own that is stopped afterwards; progress to {@code out}. */
    static List<Result> measure(Project project, Path work, long records, long latencyRate, long latencySeconds,
            int parallelism, Duration checkpointInterval, boolean shadow, PrintWriter out) throws Exception {
        KafkaThroughput run = new KafkaThroughput();
        run.shadow = shadow;
        run.records = records;
        run.latencyRate = latencyRate;
        run.latencySeconds = latencySeconds;
        run.parallelism = parallelism;
        run.checkpointInterval = checkpointInterval;
        LocalKafkaBroker broker = new LocalKafkaBroker(work.resolve("kafka"));
        int[] ports = LocalKafkaBroker.freePorts(2);
        broker.start(ports[0], ports[1], Duration.ofSeconds(120));
        broker.stopWhenProcessExits(ProcessHandle.current().pid());
        List<Result> results = new ArrayList<>();
        try {
            for (String delivery : List.of("exactly-once", "at-least-once")) {
                results.add(run.run(project, broker, work.resolve(delivery), delivery, out));
            }
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
        return results;
    }

    private Result run(Project project, LocalKafkaBroker broker, Path work, String delivery, PrintWriter out) throws Exception {
        Files.createDirectories(work);
        String s0 = "s0-" + delivery;
        String s2 = "s2-" + delivery;
        broker.createTopics(Map.of(s0, parallelism, s2, 1, "dlq-" + delivery, 1, "shadow-" + delivery, 1));
        Path models = Files.createDirectories(work.resolve("models"));
        Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("fitter").toString(), "fit", "--models", models.toString()),
                work.resolve("fitter.log"), Duration.ofMinutes(1));
        if (shadow) {
            Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("fitter").toString(), "fit", "--models", models.toString(),
                    "--role", "challenger", "--rollout", "shadow", "--promote-after", Long.toString(Long.MAX_VALUE)),
                    work.resolve("fitter-challenger.log"), Duration.ofMinutes(1));
        }

        out.printf("%s: writing a backlog of %d records to %s …%n", delivery, records, s0);
        out.flush();
        Processes.runToEnd(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(), "--kafka-topic", s0,
                "--bootstrap-servers", broker.bootstrapServers(), "--count", Long.toString(records)), work.resolve("backlog.log"), Duration.ofMinutes(10));

        List<String> job = project.localJobCommand(work.resolve("job.log"));
        job.addAll(List.of("--source", "kafka", "--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", s0, "--output-topic", s2, "--dead-letter-topic", "dlq-" + delivery,
                "--group-id", "bench-" + delivery, "--starting-offsets", "earliest", "--delivery", delivery,
                "--parallelism", Integer.toString(parallelism), "--checkpoint-interval", Durations.format(checkpointInterval),
                "--models", models.toString(), "--web-port", Integer.toString(Project.freePort())));
        if (shadow) {
            job.addAll(List.of("--shadow-topic", "shadow-" + delivery));
        }
        Process jobProcess = Processes.start(job, work.resolve("job.out"));
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(broker.bootstrapServers(), s2)) {
            out.printf("%s: job started; timing the backlog …%n", delivery);
            out.flush();
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
                Processes.check(jobProcess, deadline, "the backlog was not scored");
            }
            double seconds = (System.nanoTime() - firstAt) / 1e9;
            double throughput = (count - countAtFirst) / seconds;
            out.printf(Locale.ROOT, "%s: %d results in %.2f s after the first commit: %.0f records/s%n", delivery, count, seconds, throughput);

            out.printf("%s: latency, %d records/s for %d s …%n", delivery, latencyRate, latencySeconds);
            out.flush();
            long latencyRecords = latencyRate * latencySeconds;
            Process feed = Processes.start(List.of(Project.java(), "-jar", project.jar("tcpsource").toString(),
                    "--kafka-topic", s0, "--bootstrap-servers", broker.bootstrapServers(),
                    "--count", Long.toString(latencyRecords), "--rate", Long.toString(latencyRate)), work.resolve("feed.log"));
            List<Long> latencies = new ArrayList<>();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(latencySeconds + 120);
            while (latencies.size() < latencyRecords) {
                for (ConsumerRecord<byte[], byte[]> result : consumer.poll(Duration.ofMillis(50))) {
                    latencies.add(System.currentTimeMillis() - result.timestamp());
                }
                Processes.check(jobProcess, deadline, "the latency run did not finish");
            }
            Processes.stop(feed);
            latencies.sort(null);
            return new Result(delivery, throughput, percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1));
        } finally {
            Processes.stop(jobProcess);
        }
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

    private static double percentile(List<Long> sorted, int percentile) {
        return Stats.percentile(sorted, percentile);
    }
}
