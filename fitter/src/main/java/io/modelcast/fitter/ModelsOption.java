package io.modelcast.fitter;

import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --models DIR} option every subcommand takes. */
final class ModelsOption {

    @Option(
            names = "--models",
            required = true,
            paramLabel = "DIR",
            description = "The model directory: where models are published and read from.")
    Path directory;

    /** Opens the directory, failing with its name if it does not exist. */
    ModelDirectory open() throws IOException {
        return ModelDirectory.open(directory);
    }
}
