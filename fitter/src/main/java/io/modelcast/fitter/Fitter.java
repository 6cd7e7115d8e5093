package io.modelcast.fitter;

import io.modelcast.cli.CommandLines;
import io.modelcast.cli.ManifestVersion;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code fitter} command line: fits models, publishes them into a model directory, and shows
 * what is published. Run {@code fitter --help} for the subcommands.
 */
@Command(
        name = "fitter",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Fits models and publishes them as new, versioned model files.",
        subcommands = {FitCommand.class, TrainCommand.class, PublishCommand.class, GenDataCommand.class,
            PromoteCommand.class, RollbackCommand.class, RolloutCommand.class, TransformCommand.class, ListCommand.class, PublishRemoteCommand.class,
            FeaturesCommand.class})
public final class Fitter implements Runnable {

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@link #main} runs; tests run it too. */
    public static CommandLine commandLine() {
        return CommandLines.create(new Fitter());
    }

    @Override
    public void run() {
        // From the registered subcommands, so the list cannot fall behind them.
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
