package io.modelcast.job.modelupdates;

import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator.Accepted;
import io.modelcast.job.modelupdates.ModelValidator.Verdict;
import io.modelcast.job.sources.ModelFiles;
import io.modelcast.job.store.ModelStore;
import io.modelcast.model.ModelName;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.repository.ModelDirectory;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * What a scoring subtask falls back to when a restored model cannot be built — its copy in the model
 * store is gone or damaged: the newest file of the model's name in the models directory that the
 * loader would accept as a champion (read within the size limit, decoded, validated and probed by
 * the same {@link ModelValidator}; challengers and remote models are passed over). Its bytes are
 * put back into the model store, if the job has one, so broadcast state stays small.
 *
 * <p>Limits: reads the directory through Flink's file systems from the subtask, once per restore of
 * a name; a name none of whose files is valid stays without a model until a valid one is published.
 */
public final class ModelRecovery implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String modelsDirectory;
    private final long maxModelBytes;
    private final InputFormat inputFormat;
    private final ModelStore store;

    /**
     * @param modelsDirectory the job's models directory, as Flink's file systems name it; null if it has none
     *     (models from the model topic only), and then nothing is recovered
     * @param store where recovered models' bytes go; null to keep them in broadcast state
     */
    public ModelRecovery(String modelsDirectory, long maxModelBytes, InputFormat inputFormat, ModelStore store) {
        this.modelsDirectory = modelsDirectory;
        this.maxModelBytes = maxModelBytes;
        this.inputFormat = inputFormat;
        this.store = store;
    }

    /**
     * The newest valid champion of {@code name} in the models directory, if there is one; each file
     * passed over is told to {@code passedOver} with why.
     */
    public Optional<ValidatedModel> newestValid(String name, Consumer<String> passedOver) {
        if (modelsDirectory == null) {
            passedOver.accept("the job has no models directory to recover from (--model-topic only); the model comes back"
                    + " when a new version is published");
            return Optional.empty();
        }
        Path dir = name.equals(ModelName.DEFAULT) ? new Path(modelsDirectory) : new Path(new Path(modelsDirectory), name);
        List<FileStatus> files = new ArrayList<>();
        try {
            FileStatus[] listed = dir.getFileSystem().listStatus(dir);
            for (FileStatus status : listed == null ? new FileStatus[0] : listed) {
                if (!status.isDir() && ModelDirectory.versionOf(status.getPath().getName()).isPresent()) {
                    files.add(status);
                }
            }
        } catch (FileNotFoundException e) {
            passedOver.accept(dir + " does not exist");
            return Optional.empty();
        } catch (IOException e) {
            passedOver.accept("cannot list " + dir + ": " + e);
            return Optional.empty();
        }
        files.sort(Comparator.comparingLong((FileStatus f) -> version(f)).reversed());
        ModelValidator validator = new ModelValidator(maxModelBytes, inputFormat);
        for (FileStatus file : files) {
            String path = file.getPath().toString();
            Verdict verdict = validator.validate(ModelFiles.read(path, maxModelBytes).named(name));
            if (!(verdict instanceof Accepted accepted)) {
                passedOver.accept(path + ": " + ((ModelValidator.Rejected) verdict).message());
            } else if (accepted.file().isChallenger() || accepted.file().model() instanceof RemoteModel) {
                passedOver.accept(path + ": a " + (accepted.file().isChallenger() ? "challenger" : "remote model")
                        + ", not a local champion");
            } else {
                return Optional.of(stored(accepted.toValidatedModel(name, path), passedOver));
            }
        }
        return Optional.empty();
    }

    private ValidatedModel stored(ValidatedModel model, Consumer<String> problems) {
        if (store == null) {
            return model;
        }
        try {
            return model.withBytes(store.put(model.bytes().read()));
        } catch (IOException e) {
            problems.accept("cannot copy " + model.source() + " to the model store " + store + " (" + e
                    + "); broadcast state holds its bytes");
            return model;
        }
    }

    private static long version(FileStatus file) {
        OptionalLong version = ModelDirectory.versionOf(file.getPath().getName());
        return version.orElse(-1);
    }
}
