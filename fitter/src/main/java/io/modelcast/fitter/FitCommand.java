package io.modelcast.fitter;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.Durations;
import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code fitter fit}: fits the next model and publishes it, once (for cron) or periodically
 * ({@code --every}).
 */
@Command(
        name = "fit",
        mixinStandardHelpOptions = true,
        description = {
            "Fits the next model and publishes it as DIR/model-<version>.json, atomically, and"
                    + " points DIR/model-current.json at it.",
            "The seed fit flips isCloned relative to the newest published model (first run:"
                    + " cloned). Versions never repeat, even for concurrent runs.",
            "Without --every it publishes once and exits, for cron."
        })
final class FitCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Mixin ChallengerOptions role;

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            description =
                    "Keep running and publish every DURATION (500ms, 10s, 1m …), a replacement for"
                            + " cron. Default: publish once and exit.")
    Duration every;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "With --every: stop after N publishes. Default: run until stopped.")
    Integer count;

    @Option(
            names = "--keep",
            paramLabel = "N",
            description =
                    "After each publish, delete all but the newest N model files. Default: keep"
                            + " all.")
    Integer keep;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        validateOptions();
        ModelDirectory directory = models.open();
        if (every == null) {
            publish(directory);
            return ExitCodes.OK;
        }
        return publishPeriodically(directory);
    }

    private void validateOptions() {
        if (keep != null && models.topic != null) {
            throw new ParameterException(spec.commandLine(),
                    "--keep deletes old files of a directory; a model topic keeps what its compaction keeps");
        }
        role.check(spec);
        if (every != null && every.isZero()) {
            throw new ParameterException(spec.commandLine(), "--every must be longer than 0s");
        }
        if (count != null && every == null) {
            throw new ParameterException(spec.commandLine(), "--count only goes with --every");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (keep != null && keep < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--keep must be at least 1 (the newest model is kept)");
        }
    }

    private void publish(ModelDirectory directory) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelFile published =
                role.publish(directory, SeedFit::next, warning -> err.println("fitter fit: warning: " + warning));
        out.println(
                "published "
                        + ModelDirectory.fileName(published.version())
                        + ": "
                        + Describe.line(published));
        if (keep != null) {
            List<Path> deleted = directory.keepNewest(keep);
            for (Path path : deleted) {
                out.println("deleted " + path.getFileName());
            }
        }
        out.flush();
        err.flush();
    }

    /**
     * Publishes at a fixed rate until {@code --count} publishes are done or the process is asked
     * to stop (SIGINT, SIGTERM). A failed publish is reported and the next one is still tried, as
     * cron would; a publish under way when the stop arrives is finished first.
     */
    private int publishPeriodically(ModelDirectory directory) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stopOnSignal =
                new Thread(
                        () -> {
                            stopRequested.countDown();
                            awaitQuietly(stopped);
                        },
                        "fitter-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        spec.commandLine()
                .getOut()
                .println(
                        "publishing every "
                                + Durations.format(every)
                                + (count != null ? ", " + count + " times" : ", until stopped")
                                + " into "
                                + directory.describe());
        int failures = 0;
        try {
            long periodNanos = every.toNanos();
            long next = System.nanoTime();
            for (int done = 0; count == null || done < count; done++) {
                try {
                    publish(directory);
                } catch (IOException | RuntimeException e) {
                    failures++;
                    err.println("fitter fit: error: " + CommandLines.describe(e));
                    err.flush();
                }
                if (count != null && done + 1 == count) {
                    break;
                }
                next += periodNanos;
                long now = System.nanoTime();
                if (next < now) {
                    // A publish took longer than the period: skip the missed ticks, as cron does.
                    next += ((now - next) / periodNanos + 1) * periodNanos;
                }
                if (stopRequested.await(next - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it returns now that the loop has stopped.
            }
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
