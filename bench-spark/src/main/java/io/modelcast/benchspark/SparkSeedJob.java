package io.modelcast.benchspark;

import io.modelcast.model.CustomModel;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin's design on Spark Streaming, as the benchmark measures it beside the job: a DStream of
 * socket lines ({@code socketTextStream}, one receiver), the seed's model applied in a map, each
 * micro-batch counted. {@code local[2]}: the receiver takes one of the machine's two cores, as in the
 * origin. The model is made on the executor from its one parameter (cloned or not); the origin
 * re-read it from a broadcast variable that a cron fitter replaced.
 *
 * <p>Prints {@code READY} once the streaming context runs (start {@code tcpsource --count N} on
 * {@code PORT} then; the receiver retries until it connects), then {@code RESULT {json}} with the
 * records counted and the seconds from the start of the first micro-batch that had any (its
 * scheduled time less one interval) to the end of the one that reached {@code N}.
 *
 * <p>Arguments: {@code PORT N [BATCH_INTERVAL_MS] [TIMEOUT_SECONDS]}. Needs the JVM options of
 * Spark's launcher ({@code --add-opens} …) on Java 17, as the benchmark passes them.
 */
public final class SparkSeedJob {

    private static final AtomicLong COUNTED = new AtomicLong();
    private static final AtomicLong FIRST_BATCH_START_MILLIS = new AtomicLong();
    private static final AtomicLong DONE_MILLIS = new AtomicLong();

    private SparkSeedJob() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long records = Long.parseLong(args[1]);
        long intervalMillis = args.length > 2 ? Long.parseLong(args[2]) : 500;
        long timeoutSeconds = args.length > 3 ? Long.parseLong(args[3]) : 300;

        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("modelcast Spark Streaming reference")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaStreamingContext context = new JavaStreamingContext(conf, Durations.milliseconds(intervalMillis));
        context.sparkContext().setLogLevel("WARN");
        // Serialized in memory, one copy: the default (two copies) cannot be replicated in local mode anyway.
        JavaDStream<String> lines = context.socketTextStream("127.0.0.1", port, StorageLevel.MEMORY_ONLY_SER());
        boolean cloned = true;
        JavaDStream<String> scored = lines.mapPartitions(partition -> score(partition, new CustomModel(cloned)));
        scored.foreachRDD((rdd, time) -> {
            long count = rdd.count();
            if (count == 0) {
                return;
            }
            // The records of a micro-batch arrived during the interval before its scheduled time.
            FIRST_BATCH_START_MILLIS.compareAndSet(0, time.milliseconds() - intervalMillis);
            if (COUNTED.addAndGet(count) >= records) {
                DONE_MILLIS.compareAndSet(0, System.currentTimeMillis());
            }
        });
        context.start();
        System.out.println("READY");
        System.out.flush();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (DONE_MILLIS.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("counted only " + COUNTED.get() + " of " + records + " records in "
                        + timeoutSeconds + " s");
            }
            Thread.sleep(10);
        }
        double seconds = (DONE_MILLIS.get() - FIRST_BATCH_START_MILLIS.get()) / 1e3;
        System.out.printf(Locale.ROOT, "RESULT {\"variant\":\"spark\",\"records\":%d,\"seconds\":%.4f,\"recordsPerSecond\":%.1f}%n",
                COUNTED.get(), seconds, COUNTED.get() / seconds);
        System.out.flush();
        context.stop(true, false);
        System.exit(0);
    }

    private static Iterator<String> score(Iterator<String> lines, CustomModel model) {
        List<String> outputs = new ArrayList<>();
        while (lines.hasNext()) {
            outputs.add(model.transform(Long.parseLong(lines.next().trim())));
        }
        return outputs.iterator();
    }
}
