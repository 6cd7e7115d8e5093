package io.modelcast.bench;

import io.modelcast.cli.Durations;

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
import java.util.concurrent.Callable;

/** One swap-latency configuration, printed as it runs: see {@link SwapLatencyRun}. */
@Command(
        name = "swap-latency",
        mixinStandardHelpOptions = true,
        description = "Time from a model file's rename into place to every scoring subtask scoring with it.")
final class SwapLatency implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--parallelism", defaultValue = "4", description = "Scoring subtasks. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--publishes", defaultValue = "10", description = "Models published and timed. Default: ${DEFAULT-VALUE}.")
    int publishes;

    @Option(names = "--rate", defaultValue = "4000", description = "Input lines per second. Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
            description = "The job's model poll interval. Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("modelcast-swap-latency");
        out.printf("swap latency: parallelism %d, %d lines/s, model poll interval %s; ms from the rename (logs in %s)%n",
                parallelism, rate, Durations.format(pollInterval), work);
        out.printf("%-8s %-12s %-12s%n", "version", "first (ms)", "all (ms)");
        out.flush();
        List<SwapLatencyRun.Publish> timed = SwapLatencyRun.measure(new Project(root), work,
                Files.createDirectories(work.resolve("models")), parallelism, pollInterval, publishes, rate, publish -> {
                    out.printf(Locale.ROOT, "%-8d %-12.1f %-12.1f%n", publish.version(), publish.firstMillis(), publish.lastMillis());
                    out.flush();
                });
        List<Double> first = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        timed.forEach(p -> {
            first.add(p.firstMillis());
            last.add(p.lastMillis());
        });
        out.printf(Locale.ROOT, "median: first subtask %.1f ms, all %d subtasks %.1f ms; p90 all %.1f ms; max all %.1f ms%n",
                Stats.median(first), parallelism, Stats.median(last), Stats.percentile(last, 90), Stats.max(last));
        return 0;
    }
}
