package io.modelcast.bench;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ManifestVersion;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code bench} command line: without a subcommand, the whole suite ({@link Suite}), written to
 * {@code bench/results/<date>/} as JSON, Markdown and PNG charts; subcommands measure one thing and
 * print it.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "Measures modelcast with real processes. Without a subcommand: the whole suite — throughput against"
                    + " a chained baseline, swap latency, scale with versions, Kafka, real models — written to bench/results/<date>/"
                    + " (results.json, results.md, throughput.png, swap-latency.png)."
        },
        subcommands = {ThroughputCommand.class, SwapLatency.class, KafkaThroughput.class, RealModelsCommand.class, ServingCommand.class,
            FeaturesCommand.class})
public final class Bench implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--quick", description = "A smoke run (about 3 minutes): every scenario, briefly; results to bench/target/bench-quick.")
    boolean quick;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where to write the results. Default: bench/results/<date>, or bench/target/bench-quick with --quick.")
    Path results;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.create(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Suite.Plan plan = quick ? Suite.Plan.QUICK : Suite.Plan.FULL;
        Project project = new Project(root);
        Results figures = new Suite(project, plan, out).run("bin/bench" + (quick ? " --quick" : ""));
        Path directory = results != null ? results : Suite.defaultResults(project.root, plan);
        Report.write(figures, directory);
        out.printf("%n%s%nresults: %s%n", Report.summary(figures), directory);
        return figures.failures().isEmpty() ? 0 : 1;
    }
}
