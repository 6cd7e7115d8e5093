package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code fitter promote}: republishes an earlier version's parameters as the newest version. */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a new version with the parameters of VERSION (recorded as promotedFrom), so every"
                    + " scoring subtask of the job switches to them: versions only grow, so this is how to"
                    + " pin or restore a model."
        })
final class PromoteCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Parameters(paramLabel = "VERSION", description = "The published version whose parameters to publish again.")
    long version;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ModelFile promoted = models.openExisting().promote(version, warning -> err.println("fitter promote: warning: " + warning));
        spec.commandLine().getOut().println("published " + ModelDirectory.fileName(promoted.version()) + ": " + Describe.line(promoted));
        return ExitCodes.OK;
    }
}
