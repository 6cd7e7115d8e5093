package io.modelcast.model.repository;

import io.modelcast.model.ModelName;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A models directory holding one {@link ModelDirectory} per model name: {@code ROOT/<name>/} for
 * each name, and {@code ROOT} itself — its flat {@code model-<v>.json} files — for the model named
 * {@link ModelName#DEFAULT}, so a directory of the single-model layout is a repository with one
 * name. Subdirectories whose names are not {@linkplain ModelName model names} are not models.
 */
public final class ModelRepository {

    private final Path root;

    private ModelRepository(Path root) {
        this.root = root;
    }

    /**
     * Opens an existing models directory.
     *
     * @throws NoSuchFileException if {@code root} does not exist or is not a directory
     */
    public static ModelRepository open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null,
                    Files.exists(root) ? "not a directory" : "models directory does not exist (create it first)");
        }
        return new ModelRepository(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /**
     * The directory of one name's versions, created if it is new.
     *
     * @throws IllegalArgumentException if {@code name} is not a model name
     */
    public ModelDirectory directory(String name) throws IOException {
        ModelName.require(name);
        if (name.equals(ModelName.DEFAULT)) {
            return ModelDirectory.open(root);
        }
        return ModelDirectory.open(Files.createDirectories(root.resolve(name)));
    }

    /**
     * The directory of a name that has one.
     *
     * @throws NoSuchFileException if no model of that name was ever published here
     */
    public ModelDirectory existing(String name) throws IOException {
        ModelName.require(name);
        Path dir = name.equals(ModelName.DEFAULT) ? root : root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no model named " + name + " is published in " + root);
        }
        return ModelDirectory.open(dir);
    }

    /**
     * The names with a directory here, {@code default} first if the flat layout holds a model file.
     *
     * @param ignored told about each subdirectory whose name is not a model name
     */
    public List<String> names(Consumer<String> ignored) throws IOException {
        List<String> names = new ArrayList<>();
        if (!ModelDirectory.open(root).list().isEmpty()) {
            names.add(ModelName.DEFAULT);
        }
        List<String> named = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (name.equals(ModelName.DEFAULT)) {
                    ignored.accept(entry + " is not read: the default model's files lie in the models directory itself");
                } else if (ModelName.isValid(name)) {
                    named.add(name);
                } else {
                    ignored.accept(entry + " is not a model's directory: " + ModelName.describeInvalid(name));
                }
            }
        }
        named.sort(null);
        names.addAll(named);
        return names;
    }
}
