package io.modelcast.job.options;

import io.modelcast.job.store.ModelStore;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.net.URI;
import java.util.Optional;

/**
 * Where the loader keeps its copies of the models ({@code --model-store}): a directory, none (the
 * models' bytes go into broadcast state, as before the store), or — by default — {@code model-store/}
 * in the checkpoint directory, when the job's configuration names one.
 *
 * @param directory the directory the user named, if any
 * @param none whether the user asked for no store
 */
public record ModelStoreChoice(Optional<URI> directory, boolean none) {

    /** The word that asks for no model store. */
    public static final String NONE = "none";

    /** The store's directory inside the checkpoint directory. */
    public static final String IN_CHECKPOINT_DIRECTORY = "model-store";

    public ModelStoreChoice {
        if (none && directory.isPresent()) {
            throw new IllegalArgumentException("--model-store is either a directory or " + NONE);
        }
    }

    /** The choice {@code --model-store} spells: a directory (a path or a URI), {@value #NONE}, or absent for the default. */
    public static ModelStoreChoice parse(String option) {
        if (option == null || option.isBlank()) {
            return new ModelStoreChoice(Optional.empty(), false);
        }
        if (option.equals(NONE)) {
            return new ModelStoreChoice(Optional.empty(), true);
        }
        return new ModelStoreChoice(Optional.of(ModelArgs.modelsUri(option)), false);
    }

    /** The store this choice names, given the job's configuration (which holds the checkpoint directory); empty for none. */
    public Optional<ModelStore> resolve(ReadableConfig configuration) {
        if (none) {
            return Optional.empty();
        }
        if (directory.isPresent()) {
            return Optional.of(new ModelStore(directory.get().toString()));
        }
        return configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .map(checkpoints -> new ModelStore(checkpoints.replaceAll("/+$", "") + "/" + IN_CHECKPOINT_DIRECTORY));
    }
}
