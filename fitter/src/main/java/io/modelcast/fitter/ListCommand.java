package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelDirectory.PublishedFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code fitter list}: one line per published version, newest first, version first on the line.
 * Files that cannot be read are reported on standard error, so standard output stays parseable.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the published models, newest first, one per line: version, type, parameters,"
                    + " publication time and, for a promoted version, the version it republishes."
                    + " `fitter list --models DIR | head -1` is the newest.",
            "Files that cannot be read are reported on standard error."
        })
final class ListCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelDirectory directory = models.openExisting();
        ModelFileCodec codec = new ModelFileCodec();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (PublishedFile file : directory.list()) {
            try {
                ModelFile read = codec.read(file.path());
                try {
                    out.println(Describe.line(read));
                } finally {
                    read.model().close();
                }
            } catch (ModelFileException e) {
                err.println("fitter list: warning: skipped " + e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }
}
