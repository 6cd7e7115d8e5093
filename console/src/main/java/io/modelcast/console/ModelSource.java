package io.modelcast.console;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelRepository;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the registry reads the published models from: a models directory ({@code --models}) or a
 * model topic ({@code --model-topic}, {@link ModelTopicSource}) — the two places the fitter publishes
 * to and the job reads from.
 */
interface ModelSource extends AutoCloseable {

    /** The model names with published versions. */
    List<String> names(Consumer<String> warnings) throws IOException;

    /** A name's versions, newest first. */
    List<Long> versions(String name) throws IOException;

    /**
     * One version's file; its model is the caller's to close.
     *
     * @throws java.nio.file.NoSuchFileException if it is gone since it was listed
     * @throws IOException if it cannot be read or is not a valid model file, saying why
     */
    ModelFile read(String name, long version) throws IOException;

    /** Where it reads, for the page. */
    String describe();

    @Override
    default void close() {}

    /** A models directory, as the fitter and the job use it. */
    static ModelSource directory(Path root) {
        return new ModelSource() {
            @Override
            public List<String> names(Consumer<String> warnings) throws IOException {
                return ModelRepository.open(root).names(warnings);
            }

            @Override
            public List<Long> versions(String name) throws IOException {
                return ModelRepository.open(root).existing(name).versions();
            }

            @Override
            public ModelFile read(String name, long version) throws IOException {
                return ModelRepository.open(root).existing(name).readPublished(version);
            }

            @Override
            public String describe() {
                return root.toString();
            }
        };
    }
}
