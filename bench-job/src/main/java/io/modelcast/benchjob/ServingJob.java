package io.modelcast.benchjob;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.JobArguments;
import io.modelcast.job.options.ScoringArgs;
import io.modelcast.job.jdbc.JdbcResults;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.Result;
import io.modelcast.model.CustomModel;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.StandInPredictServer;
import io.modelcast.model.repository.ModelDirectory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.postgresql.Driver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the two ends of the Kafka design's serving path, each in an embedded cluster:
 *
 * <ul>
 *   <li>{@code --mode remote}: records/s scored by a {@code remote} model through async I/O, with
 *       {@code --in-flight} requests per scoring subtask and up to {@code --batch-size} records per
 *       request, against {@link StandInPredictServer} (the stand-in for TensorFlow Serving) on
 *       loopback, answering after {@code --latency-ms}.
 *   <li>{@code --mode jdbc}: rows/s upserted into PostgreSQL at {@code --jdbc-url} by the JDBC sink,
 *       with a local model scoring; from the first row seen to the last.
 * </ul>
 *
 * Generated integer lines (64 to a batch) go in only once the model is in use on every subtask.
 * Prints {@code RESULT {"mode":…,"recordsPerSecond":…}} and exits.
 */
public final class ServingJob {

    /** As many as one request can carry at the default --batch-size: a request holds at most one input batch. */
    private static final int LINES_PER_BATCH = 64;

    /** Lines flow once this is set: before, the generator waits. */
    static volatile boolean go;

    private ServingJob() {}

    /** The benchmark's options; the job's own are built from them and parsed by {@link JobArguments}. */
    @Command(name = "serving-job")
    static final class Arguments {
        @Option(names = "--mode", required = true, description = "remote or jdbc")
        String mode;

        @Option(names = "--records", required = true, description = "Records to score, rounded down to whole batches of 64.")
        long records;

        @Option(names = "--parallelism", defaultValue = "2")
        int parallelism;

        @Option(names = "--in-flight", defaultValue = "64", description = "Remote requests in flight per scoring subtask.")
        int inFlight;

        @Option(names = "--latency-ms", defaultValue = "0", description = "What the stand-in server adds to each answer.")
        long latencyMs;

        @Option(names = "--batch-size", defaultValue = ScoringArgs.DEFAULT_BATCH_SIZE)
        String batchSize;

        @Option(names = "--jdbc-url", description = "The PostgreSQL to write to, with --mode jdbc.")
        String jdbcUrl;

        @Option(names = "--flink-conf", required = true, description = "The directory of the config.yaml to run with.")
        String flinkConf;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments();
        new CommandLine(arguments).parseArgs(args);
        String mode = arguments.mode;
        // Whole batches only: the count waited for is what the generator makes.
        long records = Math.max(1, arguments.records / LINES_PER_BATCH) * LINES_PER_BATCH;
        int parallelism = arguments.parallelism;
        int inFlight = arguments.inFlight;
        long latencyMs = arguments.latencyMs;
        String batchSize = arguments.batchSize;
        Path models = Files.createTempDirectory("modelcast-serving-bench");
        ModelDirectory directory = ModelDirectory.open(models);
        StandInPredictServer server = null;
        List<String> jobArgs = new ArrayList<>(List.of("--models", models.toString(),
                "--parallelism", Integer.toString(parallelism), "--batch-size", batchSize,
                // Remote scoring only where it is measured: it costs local results a hop.
                "--remote-requests", mode.equals("remote") ? Integer.toString(inFlight) : "0"));
        String table = "bench_rows_" + System.nanoTime();
        if (mode.equals("remote")) {
            server = StandInPredictServer.start(Math.max(16, parallelism * inFlight))
                    .serve("seed", 1, instance -> JsonNodeFactory.instance.textNode(String.format("%02d", instance.asLong())));
            if (latencyMs > 0) {
                server.faults((instances, attempt) -> new StandInPredictServer.Delay(latencyMs));
            }
            URI endpoint = server.endpoint();
            directory.publish(newest -> new RemoteModel(endpoint, "seed", OptionalLong.of(1), Duration.ofSeconds(10), 2,
                    RemoteModel.OnFailure.FAIL, OptionalLong.empty(), 0.5), warning -> {});
        } else if (mode.equals("jdbc")) {
            jobArgs.addAll(List.of("--jdbc-url", arguments.jdbcUrl, "--jdbc-table", table));
            directory.publish(newest -> new CustomModel(true), warning -> {});
        } else {
            throw new IllegalArgumentException("--mode must be remote or jdbc, not " + mode);
        }

        JobOptions job = JobArguments.parse(jobArgs.toArray(String[]::new));
        StreamExecutionEnvironment env = LocalBenchEnvironment.create(arguments.flinkConf, job);
        GeneratorFunction<Long, LineBatch> lines = i -> {
            while (!go) {
                Thread.sleep(5);
            }
            return LineBatch.of(LongStream.range(i * LINES_PER_BATCH, (i + 1) * LINES_PER_BATCH)
                    .mapToObj(Long::toString).toArray(String[]::new));
        };
        DataStream<LineBatch> source = env.fromSource(
                        new DataGeneratorSource<>(lines, records / LINES_PER_BATCH, TypeInformation.of(LineBatch.class)),
                        WatermarkStrategy.noWatermarks(), "generated lines")
                .setParallelism(1);
        ScoringPipeline.ParsedLines parsed = ScoringPipeline.parseLines(source, job.scoring().inputFormat(),
                mode.equals("jdbc") ? "bench" : null);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(job, parsed.records(), ModelcastJob.modelFiles(env, job));
        if (mode.equals("jdbc")) {
            JdbcResults.write(JdbcResults.rows(outputs, parsed.rejected(), null), outputs.shadow(), outputs.reports(), job.jdbc().orElseThrow());
        } else {
            DataStream<Result> scored = outputs.scored();
            scored.sinkTo(new ThroughputJob.CountingSink()).name("Count and discard").setParallelism(parallelism);
        }

        JobClient client = env.executeAsync("serving-" + mode);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!GaugeCapture.modelsApplied(parallelism)) {
            check(deadline, "the model was not in use on every subtask");
            Thread.sleep(10);
        }
        go = true;
        double seconds;
        if (mode.equals("remote")) {
            while (ThroughputJob.total() < records) {
                check(deadline, "counted only " + ThroughputJob.total() + " of " + records + " results");
                Thread.sleep(1);
            }
            seconds = (System.nanoTime() - ThroughputJob.firstRecord()) / 1e9;
        } else {
            long first = 0;
            long rows;
            try (Connection connection = new Driver().connect(arguments.jdbcUrl, new Properties());
                    Statement statement = connection.createStatement()) {
                while ((rows = count(statement, table)) < records) {
                    if (rows > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    check(deadline, "only " + rows + " of " + records + " rows arrived");
                    Thread.sleep(50);
                }
                seconds = (System.nanoTime() - first) / 1e9;
                statement.execute("DROP TABLE " + table);
            }
        }
        System.out.printf(Locale.ROOT, "RESULT {\"mode\":\"%s\",\"parallelism\":%d,\"inFlight\":%d,\"latencyMs\":%d,"
                        + "\"batchSize\":%s,\"records\":%d,\"seconds\":%.4f,\"recordsPerSecond\":%.1f}%n",
                mode, parallelism, inFlight, latencyMs, batchSize, records, seconds, records / seconds);
        System.out.flush();
        client.cancel().get();
        if (server != null) {
            server.close();
        }
        System.exit(0);
    }

    private static long count(Statement statement, String table) throws Exception {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            // The table is created when the job is built; until then there is nothing to count.
            return 0;
        }
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " within 10 minutes");
        }
    }
}
