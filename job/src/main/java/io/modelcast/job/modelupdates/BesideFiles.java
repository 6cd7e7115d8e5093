package io.modelcast.job.modelupdates;

import io.modelcast.job.modelupdates.ModelValidator.Accepted;
import io.modelcast.job.modelupdates.ModelValidator.Rejected;
import io.modelcast.job.modelupdates.ModelValidator.Verdict;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.sources.ModelFiles;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.repository.ModelDirectory;

/**
 * The other versions a model file needs, read from beside it in its directory and validated: a
 * remote model's local fallback, and a challenger's champion. A model from the model topic has no
 * directory beside it. Not thread-safe: the loader's, used on its task thread.
 */
final class BesideFiles {

    private final ModelValidator validator;
    private final long maxModelBytes;

    BesideFiles(ModelValidator validator, long maxModelBytes) {
        this.validator = validator;
        this.maxModelBytes = maxModelBytes;
    }

    /** The path of model version {@code version} beside the file at {@code path}. */
    static String path(String path, long version) {
        int slash = path.lastIndexOf('/');
        return (slash < 0 ? "" : path.substring(0, slash + 1)) + ModelDirectory.fileName(version);
    }

    /** Version {@code version} of model {@code name}, read from beside {@code path} and validated. */
    Verdict read(String path, long version, String name) {
        return validator.validate(ModelFiles.read(path(path, version), maxModelBytes).named(name));
    }

    /**
     * The local model a remote model falls back to: the file of that version beside the pointer's.
     * Rejected, with what is wrong, unless it may be used.
     */
    Verdict fallback(String pointerPath, long pointerVersion, long fallbackVersion) {
        if (fallbackVersion == pointerVersion) {
            return new Rejected(LoadModel.FALLBACK_UNAVAILABLE, "is the pointer itself");
        }
        if (pointerPath.startsWith(ModelFileBytes.TOPIC_PATH_PREFIX)) {
            return new Rejected(LoadModel.FALLBACK_UNAVAILABLE, "is not looked up on the model topic: a remote model with a"
                    + " fallback is published to the models directory, beside its fallback");
        }
        Verdict verdict = validator.validate(ModelFiles.read(path(pointerPath, fallbackVersion), maxModelBytes));
        if (verdict instanceof Rejected rejected) {
            return new Rejected(rejected.reason(), "cannot be used: " + rejected.message());
        }
        if (((Accepted) verdict).file().model() instanceof RemoteModel) {
            return new Rejected(LoadModel.FALLBACK_UNAVAILABLE, "is a remote model too (a fallback must be local)");
        }
        return verdict;
    }
}
