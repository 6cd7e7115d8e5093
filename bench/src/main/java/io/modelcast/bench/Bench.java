package io.modelcast.bench;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ManifestVersion;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code bench} command line: harnesses that measure the packaged job and tools. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Measures modelcast with real processes and prints the figures.",
        subcommands = {SwapLatency.class, KafkaThroughput.class})
public final class Bench implements Runnable {

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.create(new Bench()).execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing benchmark: swap-latency or kafka");
    }
}
