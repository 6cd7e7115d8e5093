package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code fitter rollback}: promotes the version before the current one. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = {
            "Promotes the newest valid version published before the current model (before the version it"
                    + " was promoted from, if it was), as a new version. Rolling back twice goes back two steps."
        })
final class RollbackCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ModelFile promoted = models.openExisting().rollback(warning -> err.println("fitter rollback: warning: " + warning));
        spec.commandLine().getOut().println("published " + ModelDirectory.fileName(promoted.version()) + ": " + Describe.line(promoted));
        return ExitCodes.OK;
    }
}
