package io.modelcast.tcpsource;

import io.modelcast.cli.KafkaClientOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The same test data as the TCP modes, written to a Kafka topic instead: record {@code i} has the
 * key {@code i} (its sequence number, as text) and the value {@code i % 20}. Seed mode writes a
 * round of 0..19 every delay until stopped; load mode writes {@code count} records, as fast as the
 * broker takes them or at a fixed rate, then exits.
 */
final class KafkaFeed implements Closeable {

    private final String topic;
    private final PrintWriter log;
    private final KafkaProducer<byte[], byte[]> producer;
    private final byte[][] values;
    private final String roundName;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    KafkaFeed(String bootstrapServers, KafkaClientOptions clients, String topic, DemoLines lines, PrintWriter log) {
        this.topic = topic;
        this.log = log;
        values = new byte[lines.roundLength()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = lines.line(i).getBytes(StandardCharsets.UTF_8);
        }
        roundName = lines.describeRound();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        producer = new KafkaProducer<>(clients.over(properties, "tcpsource"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Seed mode: a round (0..19, or the file's lines) every {@code delay}, until {@link #stop}. */
    void runRounds(Duration delay) throws IOException, InterruptedException {
        long sequence = 0;
        for (long round = 1; ; round++) {
            for (int i = 0; i < values.length; i++) {
                send(sequence++);
            }
            producer.flush();
            checkFailures();
            log.println("round " + round + ": sent " + roundName + " to topic " + topic);
            log.flush();
            if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** Load mode: {@code count} records, paced if a rate is given; returns when all are acknowledged. */
    void runLoad(long count, OptionalLong linesPerSecond) throws IOException {
        long start = System.nanoTime();
        if (linesPerSecond.isPresent()) {
            Pacer.send(count, linesPerSecond.getAsLong(), (first, lineCount) -> {
                for (long i = first; i < first + lineCount; i++) {
                    send(i);
                }
            });
        } else {
            for (long i = 0; i < count; i++) {
                send(i);
            }
        }
        producer.flush();
        checkFailures();
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        log.printf(Locale.ROOT, "sent %d records to topic %s in %.3f s (%.0f records/s)%n", count, topic, seconds, count / seconds);
        log.flush();
    }

    private void send(long sequence) {
        producer.send(new ProducerRecord<>(topic, Long.toString(sequence).getBytes(StandardCharsets.US_ASCII),
                values[(int) (sequence % values.length)]), (metadata, exception) -> {
            if (exception != null) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, exception);
            }
        });
    }

    private void checkFailures() throws IOException {
        if (failures.get() > 0) {
            throw new IOException(failures.get() + " records could not be written to " + topic + ": "
                    + firstFailure.get().getMessage(), firstFailure.get());
        }
    }

    /** Ends seed mode after the round under way. */
    void stop() {
        stopped.countDown();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
