package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
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

    @Option(names = "--from-kafka", paramLabel = "TOPIC",
            description = "List the versions on this Kafka topic (a model topic, --to-kafka's) instead of a directory;"
                    + " needs --bootstrap-servers.")
    void fromKafka(String topic) {
        models.readFrom(topic);
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelDirectory directory = models.openExisting();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (long version : directory.versions()) {
            try {
                ModelFile read = directory.readPublished(version);
                try {
                    out.println(Describe.line(read));
                } finally {
                    read.model().close();
                }
            } catch (NoSuchFileException e) {
                // Deleted since it was listed.
            } catch (IOException e) {
                err.println("fitter list: warning: skipped " + e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }
}
