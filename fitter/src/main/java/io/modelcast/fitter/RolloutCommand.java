package io.modelcast.fitter;

import io.modelcast.cli.DurationConverter;
import io.modelcast.cli.Durations;
import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code fitter rollout}: shows a name's champion and challenger, or ends the rollout — by hand,
 * {@code --promote} publishes the challenger's parameters as the new champion, {@code --retire}
 * republishes the champion's; or on the job's evidence, {@code --watch} ({@link RolloutWatch}).
 * Either is a new version, so every scoring subtask follows.
 */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the champion and the challenger of a model name; with --promote, publishes the challenger's"
                    + " parameters as the new champion; with --retire, publishes the champion's again, which ends"
                    + " the challenger's rollout. Both are new versions (promotedFrom records whose parameters they are)."
                    + " With --watch (--reports FILE or --report-topic TOPIC), decides from the job's rollout reports as the"
                    + " challenger's policy says."
        })
final class RolloutCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @ArgGroup(exclusive = true)
    Decision decision;

    static final class Decision {
        @Option(names = "--promote", required = true, description = "Make the challenger the champion.")
        boolean promote;

        @Option(names = "--retire", required = true, description = "End the challenger's rollout; the champion stays.")
        boolean retire;

        @Option(names = "--watch", required = true,
                description = "Follow the job's rollout reports (--reports) and promote or retire the challenger as its"
                        + " policy says, logging each decision with its figures.")
        boolean watch;
    }

    @Option(names = "--reports", paramLabel = "FILE|-",
            description = "With --watch: the file the job's report lines go to (report> lines in a TaskManager's .out"
                    + " file, or a topic dumped there), followed as it grows; - for standard input.")
    String reports;

    @Option(names = "--report-topic", paramLabel = "TOPIC",
            description = "With --watch: the Kafka topic of the job's rollout reports (its --report-topic), read from its"
                    + " start, read_committed; needs --bootstrap-servers.")
    String reportTopic;

    @Option(names = "--eval-topic", paramLabel = "TOPIC",
            description = "With --report-topic: the job's evaluation records too (its --eval-topic), for a policy with"
                    + " --min-auc or --max-logloss. (With --reports, eval> lines in the same file are read.)")
    String evalTopic;


    @Option(names = "--once", description = "With --watch: stop after the first decision.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --watch: give up (exit 1) if nothing is decided within it. Default: watch until stopped.")
    Duration timeout;

    @Spec CommandSpec spec;

    private int watch(ModelDirectory directory, PrintWriter out, Consumer<String> warnings) throws IOException {
        if ((reports == null) == (reportTopic == null)) {
            throw new ParameterException(spec.commandLine(), "--watch needs --reports FILE (or - for standard input)"
                    + " or --report-topic TOPIC --bootstrap-servers HOST:PORT");
        }
        if (reportTopic != null) {
            models.bootstrapServers("--report-topic");
        }
        if (evalTopic != null && reportTopic == null) {
            throw new ParameterException(spec.commandLine(), "--eval-topic goes with --report-topic (a --reports file"
                    + " holds eval> lines itself)");
        }
        Optional<Instant> deadline = Optional.ofNullable(timeout).map(t -> Instant.now().plus(t));
        RolloutWatch watch = new RolloutWatch(directory, models.name, out, warnings);
        String from = reports != null ? reports : "topic " + reportTopic + " at " + models.bootstrapServers;
        out.println("watching " + from + " for rollout reports of " + models.name + " in " + directory.describe());
        out.flush();
        try (RolloutWatch.Lines lines = reports == null
                ? ReportTopic.open(models.bootstrapServers, models.kafkaClients, evalTopic == null ? List.of(reportTopic) : List.of(reportTopic, evalTopic))
                : RolloutWatch.of(reports.equals("-")
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(reports), StandardCharsets.UTF_8))) {
            boolean decided = watch.follow(lines, once, deadline);
            if (!decided && deadline.isPresent()) {
                spec.commandLine().getErr().println("fitter rollout: no decision within " + Durations.format(timeout));
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> warnings = warning -> err.println("fitter rollout: warning: " + warning);
        ModelDirectory directory = models.openExisting();
        if (decision != null && decision.watch) {
            return watch(directory, out, warnings);
        }
        if (reports != null || reportTopic != null || evalTopic != null || once || timeout != null) {
            throw new ParameterException(spec.commandLine(),
                    "--reports, --report-topic, --eval-topic, --once and --timeout go with --watch");
        }
        ModelDirectory.Roles roles = directory.roles(warnings);
        roles.champion().map(ModelFile::model).ifPresent(model -> model.close());
        roles.challenger().map(ModelFile::model).ifPresent(model -> model.close());
        try {
            if (decision == null) {
                out.println("champion:   " + roles.champion().map(Describe::line).orElse("none"));
                out.println("challenger: " + roles.challenger().map(Describe::line).orElse("none"));
                return ExitCodes.OK;
            }
            if (roles.challenger().isEmpty() || roles.champion().isEmpty()) {
                err.println("fitter rollout: " + models.name + " has no challenger in " + directory.describe() + ": nothing to "
                        + (decision.promote ? "promote" : "retire"));
                return ExitCodes.FAILURE;
            }
            ModelFile published = directory.endRollout(roles.challenger().get().version(), decision.promote, warnings);
            published.model().close();
            out.println((decision.promote ? "promoted" : "retired") + " challenger version " + roles.challenger().get().version()
                    + ": published " + ModelDirectory.fileName(published.version()) + ": " + Describe.line(published));
            return ExitCodes.OK;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
