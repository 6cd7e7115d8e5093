package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code fitter transform}: the seed's debug loop. Loads the current model and prints what it
 * makes of the inputs 0..19, every {@code --interval}, or once.
 */
@Command(
        name = "transform",
        mixinStandardHelpOptions = true,
        description = {
            "Prints what the current model (DIR/model-current.json, or else the newest valid"
                    + " model) does to the inputs 0..19, every --interval until stopped."
        })
final class TransformCommand implements Callable<Integer> {

    /** The inputs the seed's debug loop printed. */
    static final int INPUTS = 20;

    @Mixin ModelsOption models;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "How often to load the model and print. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--once", description = "Print once and exit.")
    boolean once;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be longer than 0s");
        }
        ModelDirectory directory = models.open();
        while (true) {
            boolean printed = printOnce(directory);
            if (once) {
                return printed ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private boolean printOnce(ModelDirectory directory) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Optional<ModelFile> current =
                    directory.current(e -> err.println("fitter transform: warning: skipped " + e.getMessage()));
            if (current.isEmpty()) {
                err.println("fitter transform: no model is published in " + directory.path() + " yet");
                return false;
            }
            ModelFile model = current.get();
            StringJoiner outputs = new StringJoiner(" ");
            for (int input = 0; input < INPUTS; input++) {
                outputs.add(model.model().transform(input));
            }
            out.println("model " + Describe.line(model));
            out.println(outputs);
            return true;
        } catch (ModelFileException e) {
            err.println("fitter transform: error: " + e.getMessage());
            return false;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
