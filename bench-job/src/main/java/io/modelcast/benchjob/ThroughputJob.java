package io.modelcast.benchjob;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.labels.LabelPipeline;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.Result;
import io.modelcast.model.CustomModel;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scenario 1 of the benchmarks: how many socket lines per second a scoring graph turns into
 * results, each counted and discarded by a sink chained to the scoring. Two graphs:
 *
 * <ul>
 *   <li>{@code broadcast}: the job's own socket graph ({@link ModelcastJob#socketLines}, {@link
 *       ScoringPipeline}) — parsing chained to the source, the hop to the broadcast-state scoring
 *       operator at {@code --parallelism};
 *   <li>{@code baseline}: the same source and parsing with the model hard-coded in a plain {@code
 *       flatMap} over the same batches, everything chained in one task: what this machine can do
 *       with no model swapping;
 *   <li>{@code hop}: the baseline's {@code flatMap} behind a {@code rebalance()} at {@code
 *       --parallelism}, so it cannot chain: the cost of the hop alone, without broadcast state. The
 *       gap between {@code baseline} and {@code hop} is what any graph that scores apart from its
 *       source pays; the gap between {@code hop} and {@code broadcast} is what broadcast state adds.
 * </ul>
 *
 * <p>With the job's {@code --label-port}, the broadcast graph also joins its predictions with labels
 * ({@link LabelPipeline}), as the job does.
 *
 * <p>Runs in an embedded mini cluster in this JVM, configured by {@code --flink-conf} as {@code
 * bin/job-local} is. It prints {@code READY} once every scoring subtask has its model — start
 * {@code tcpsource --count N} on {@code --port} then; the job connects within half a second — and
 * then {@code RESULT {json}}, with the records counted and the seconds from the first to the last.
 *
 * <p>Arguments: {@code --variant broadcast|baseline|hop --records N --flink-conf DIR [--timeout-seconds S]},
 * and the job's own ({@code --parallelism P --port PORT --models DIR [--input-format …] [--batch-size N]},
 * parsed by {@link JobArguments}); the baseline and hop variants take integers only.
 */
public final class ThroughputJob {

    /** Longs between two subtasks' counters, so they never share a cache line. */
    private static final int STRIDE = 16;
    private static final int MAX_SUBTASKS = 64;

    /** Records counted by each sink subtask; written by the sink, read by {@link #main}. */
    static final AtomicLongArray COUNTS = new AtomicLongArray(MAX_SUBTASKS * STRIDE);
    /** When each sink subtask counted its first record, in {@link System#nanoTime()}. */
    static final AtomicLongArray FIRST = new AtomicLongArray(MAX_SUBTASKS * STRIDE);

    private ThroughputJob() {}

    /** This job's options: the modelcast job's own, parsed by its parser, and the benchmark's. */
    @Command(name = "throughput-job")
    static final class Arguments {
        @Mixin JobArguments job;

        @Option(names = "--variant", required = true, description = "broadcast, baseline or hop")
        String variant;

        @Option(names = "--records", required = true, description = "How many records to count.")
        long records;

        @Option(names = "--timeout-seconds", defaultValue = "300")
        long timeoutSeconds;

        @Option(names = "--flink-conf", required = true, description = "The directory of the config.yaml to run with.")
        String flinkConf;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments();
        CommandLine parsed = JobArguments.parse(arguments, args, new PrintWriter(System.out, true))
                .orElseThrow(() -> new IllegalArgumentException("no help here"));
        JobOptions job = arguments.job.toOptions(parsed.getParseResult());
        String variant = arguments.variant;
        int parallelism = job.scoring().parallelism().orElseThrow(() -> new IllegalArgumentException("--parallelism is required"));
        long records = arguments.records;
        Duration timeout = Duration.ofSeconds(arguments.timeoutSeconds);

        StreamExecutionEnvironment env = LocalBenchEnvironment.create(arguments.flinkConf, job);
        DataStream<InputBatch> inputs = ScoringPipeline.parseLines(ModelcastJob.socketLines(env, job), job.scoring().inputFormat()).records();
        DataStream<Result> scored = switch (variant) {
            case "broadcast" -> {
                ScoringPipeline.Outputs outputs = ScoringPipeline.define(job, inputs, ModelcastJob.modelFiles(env, job));
                // A shadow challenger's lines cost what writing them costs: they are made, then discarded.
                outputs.shadow().sinkTo(new DiscardingSink<>()).name("Discard shadow lines").setParallelism(parallelism);
                if (job.labels().enabled()) {
                    // The label join as the job runs it; its labels' socket may stay silent: what is
                    // measured is what every prediction costs on its way into the join's state.
                    LabelPipeline.Outputs evaluation = LabelPipeline.define(job.labels(), outputs.scored(),
                            LabelPipeline.fromSocket(env, job.labels()).labels(), Optional.empty());
                    evaluation.evaluations().sinkTo(new DiscardingSink<>()).name("Discard evaluations");
                }
                yield outputs.scored();
            }
            case "baseline" -> inputs.flatMap(new HardCodedModel()).name("Score with a hard-coded model")
                    .setParallelism(inputs.getParallelism());
            case "hop" -> inputs.rebalance().flatMap(new HardCodedModel()).name("Score with a hard-coded model after a hop")
                    .setParallelism(parallelism);
            default -> throw new IllegalArgumentException("--variant must be broadcast, baseline or hop, not " + variant);
        };
        scored.sinkTo(new CountingSink()).name("Count and discard").setParallelism(scored.getParallelism());

        JobClient client = env.executeAsync("throughput-" + variant);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Data may flow only once every scoring subtask has its model: what arrives before is held
        // (up to --max-pending) or set aside, which is not what this measures.
        int scorers = variant.equals("broadcast") ? parallelism : 0;
        while (!GaugeCapture.modelsApplied(scorers)
                || client.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not start, or its model did not arrive, in " + timeout);
            }
            Thread.sleep(10);
        }
        System.out.println("READY");
        System.out.flush();
        long counted;
        while ((counted = total()) < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("counted only " + counted + " of " + records + " records in " + timeout);
            }
            Thread.sleep(1);
        }
        long end = System.nanoTime();
        double seconds = (end - firstRecord()) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT {\"variant\":\"%s\",\"parallelism\":%d,\"records\":%d,\"seconds\":%.4f,"
                + "\"recordsPerSecond\":%.1f}%n", variant, parallelism, counted, seconds, counted / seconds);
        System.out.flush();
        client.cancel().get();
        System.exit(0);
    }

    static long total() {
        long sum = 0;
        for (int i = 0; i < MAX_SUBTASKS; i++) {
            sum += COUNTS.get(i * STRIDE);
        }
        return sum;
    }

    static long firstRecord() {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < MAX_SUBTASKS; i++) {
            long t = FIRST.get(i * STRIDE);
            if (t != 0) {
                first = Math.min(first, t);
            }
        }
        return first;
    }

    /** The baseline's scoring: the seed model, fixed, producing the same results the job does. */
    static final class HardCodedModel implements FlatMapFunction<InputBatch, Result> {
        private static final CustomModel MODEL = new CustomModel(true);
        private static final long CREATED = System.currentTimeMillis();

        @Override
        public void flatMap(InputBatch batch, Collector<Result> out) {
            long age = System.currentTimeMillis() - CREATED;
            for (int i = 0; i < batch.size(); i++) {
                out.collect(Result.output(batch.text(i), MODEL.transform(batch.value(i)), 1, age, 0, batch.origin(i)));
            }
        }
    }

    /** Counts what reaches it, per subtask, into {@link #COUNTS}; keeps nothing. */
    static final class CountingSink implements Sink<Result> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<Result> createWriter(WriterInitContext context) {
            int slot = context.getTaskInfo().getIndexOfThisSubtask() * STRIDE;
            return new SinkWriter<>() {
                private long count;

                @Override
                public void write(Result element, Context context) {
                    if (count == 0) {
                        FIRST.compareAndSet(slot, 0, System.nanoTime());
                    }
                    COUNTS.lazySet(slot, ++count);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
