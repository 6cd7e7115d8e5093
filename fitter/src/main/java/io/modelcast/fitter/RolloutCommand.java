package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code fitter rollout}: shows a name's champion and challenger, or ends the rollout by hand —
 * {@code --promote} publishes the challenger's parameters as the new champion, {@code --retire}
 * republishes the champion's. Either is a new version, so every scoring subtask follows.
 */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the champion and the challenger of a model name; with --promote, publishes the challenger's"
                    + " parameters as the new champion; with --retire, publishes the champion's again, which ends"
                    + " the challenger's rollout. Both are new versions (promotedFrom records whose parameters they are)."
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
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> warnings = warning -> err.println("fitter rollout: warning: " + warning);
        ModelDirectory directory = models.openExisting();
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
                err.println("fitter rollout: " + models.name + " has no challenger in " + directory.path() + ": nothing to "
                        + (decision.promote ? "promote" : "retire"));
                return ExitCodes.FAILURE;
            }
            long from = decision.promote ? roles.challenger().get().version() : roles.champion().get().version();
            ModelFile published = directory.promote(from, warnings);
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
