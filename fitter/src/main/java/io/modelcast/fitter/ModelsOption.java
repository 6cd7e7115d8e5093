package io.modelcast.fitter;

import io.modelcast.model.ModelName;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --models DIR} and {@code --name NAME} options every subcommand takes. */
final class ModelsOption {

    @Option(
            names = "--models",
            required = true,
            paramLabel = "DIR",
            description = "The models directory: where models are published and read from.")
    Path directory;

    @Option(
            names = "--name",
            defaultValue = ModelName.DEFAULT,
            paramLabel = "NAME",
            converter = NameConverter.class,
            description = "The model's name: its versions live in DIR/NAME/ (the default model's in DIR itself)."
                    + " " + ModelName.RULE + ". Default: ${DEFAULT-VALUE}.")
    String name;

    /** Opens the name's directory (creating it for a new name), failing with its path if DIR does not exist. */
    ModelDirectory open() throws IOException {
        return ModelRepository.open(directory).directory(name);
    }

    /** Opens the directory of a name that exists, for commands that only read or republish. */
    ModelDirectory openExisting() throws IOException {
        return ModelRepository.open(directory).existing(name);
    }

    /** A usage error, not a stack trace, for a name that is not one. */
    static final class NameConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!ModelName.isValid(value)) {
                throw new TypeConversionException(ModelName.describeInvalid(value));
            }
            return value;
        }
    }
}
