package io.modelcast.benchjob;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Scenario 6 of the benchmarks: how large a checkpoint is once every scoring subtask holds the
 * model. Runs the job's socket graph over {@code --models} (a socket that sends nothing: only the
 * model is in state) with checkpoints every 200 ms into {@code --checkpoints}, waits until a
 * complete checkpoint is at least {@code --expect-bytes} large (without a model store) or has been
 * taken a second after the model reached every subtask (with one), and prints
 * {@code RESULT {"bytes":N}} — the size of that checkpoint's files.
 */
public final class CheckpointSizeJob {

    private CheckpointSizeJob() {}

    @Command(name = "checkpoint-size-job")
    static final class Arguments {
        @Mixin JobArguments job;

        @Option(names = "--checkpoints", required = true) Path checkpoints;
        @Option(names = "--expect-bytes", defaultValue = "0",
                description = "Without a model store: wait until a checkpoint is at least this large.") long expectBytes;
        @Option(names = "--timeout-seconds", defaultValue = "180") long timeoutSeconds;
        @Option(names = "--flink-conf", required = true) String flinkConf;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--port";
            all[args.length + 1] = Integer.toString(silent.getLocalPort());
            CommandLine parsed = JobArguments.parse(arguments, all, new PrintWriter(System.out, true))
                    .orElseThrow(() -> new IllegalArgumentException("no help here"));
            JobOptions job = arguments.job.toOptions(parsed.getParseResult());
            int parallelism = job.scoring().parallelism().orElseThrow(() -> new IllegalArgumentException("--parallelism is required"));

            Configuration conf = GlobalConfiguration.loadConfiguration(arguments.flinkConf);
            conf.removeConfig(TaskManagerOptions.NUM_TASK_SLOTS);
            conf.setString("metrics.reporter.capture.factory.class", GaugeCapture.Factory.class.getName());
            conf.set(RestOptions.BIND_PORT, "0");
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, arguments.checkpoints.toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            ModelcastJob.configure(env, job);
            env.enableCheckpointing(200);
            ScoringPipeline.define(job, ScoringPipeline.parseLines(ModelcastJob.socketLines(env, job), job.scoring().inputFormat()).records(),
                    ModelcastJob.modelFiles(env, job)).scored().sinkTo(new DiscardingSink<>());
            JobClient client = env.executeAsync("checkpoint-size");

            long deadline = System.nanoTime() + arguments.timeoutSeconds * 1_000_000_000L;
            long modelEverywhereAt = 0;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no checkpoint held the model in " + arguments.timeoutSeconds + " s");
                }
                if (modelEverywhereAt == 0 && GaugeCapture.modelsApplied(parallelism)) {
                    modelEverywhereAt = System.nanoTime();
                }
                Optional<Path> latest = latest(arguments.checkpoints);
                long bytes = latest.map(CheckpointSizeJob::size).orElse(0L);
                boolean done = arguments.expectBytes > 0
                        ? bytes >= arguments.expectBytes
                        : modelEverywhereAt != 0 && System.nanoTime() - modelEverywhereAt > 1_000_000_000L && latestTakenAfter(latest, modelEverywhereAt);
                if (done) {
                    System.out.printf("RESULT {\"bytes\":%d}%n", bytes);
                    System.out.flush();
                    break;
                }
                Thread.sleep(50);
            }
            client.cancel().get();
        }
        System.exit(0);
    }

    /** Whether the checkpoint was completed after {@code nanos} (its metadata written later). */
    private static boolean latestTakenAfter(Optional<Path> checkpoint, long nanos) {
        if (checkpoint.isEmpty()) {
            return false;
        }
        try {
            long writtenMillis = Files.getLastModifiedTime(checkpoint.get().resolve("_metadata")).toMillis();
            long modelMillis = System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
            return writtenMillis > modelMillis + 500;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> latest(Path checkpoints) {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata")).map(Path::getParent)
                    .max(Comparator.comparingInt(chk -> Integer.parseInt(chk.getFileName().toString().substring("chk-".length()))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long size(Path checkpoint) {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
