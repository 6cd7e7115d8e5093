package io.modelcast.job.modelupdates;

import io.modelcast.job.InputFormat;
import io.modelcast.job.store.ModelBytes;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.Model;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.ModelProbe;
import io.modelcast.model.ModelProbe.ProbeFailedException;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a model file must pass before it is broadcast: it was read, it is within the size
 * limit, it is a well-formed model file whose parameters match their checksum, it holds the version
 * its name says, its model takes the job's kind of input ({@link InputFormat}), and it scores the
 * {@linkplain ModelProbe probe inputs}. Used by the model
 * source, to find the newest valid file, and by the loader, which decides. Never throws on a file,
 * whatever a model type does. Immutable and thread-safe.
 */
public final class ModelValidator {

    /** Reason code of a model that failed its probe. */
    public static final String PROBE_FAILED = "PROBE_FAILED";
    /** Reason code of a file whose training profile does not fit its model. */
    public static final String PROFILE_MISMATCH = "PROFILE_MISMATCH";

    /** Reason code of a file named {@code model-<v>.json} that holds another version. */
    public static final String VERSION_MISMATCH = "VERSION_MISMATCH";

    /** Reason code of a model that takes integers when the job reads feature vectors, or the reverse. */
    public static final String INPUT_MISMATCH = "INPUT_MISMATCH";

    private final ModelFileCodec codec;
    private final InputFormat inputFormat;

    public ModelValidator(long maxModelBytes, InputFormat inputFormat) {
        this.codec = new ModelFileCodec(maxModelBytes);
        this.inputFormat = inputFormat;
    }

    /** The outcome: the decoded file, or a reason code and a message naming the file. */
    public sealed interface Verdict permits Accepted, Rejected {}

    /**
     * A model file that may be broadcast, and its model's {@linkplain BinaryForm binary form}. Its
     * model has been closed (an ONNX session is not kept open for a check): use its version, type
     * and times, and build the model from the binary form to score.
     */
    public record Accepted(ModelFile file, byte[] binary) implements Verdict {

        /** What the loader broadcasts of this file, a version of model {@code name} read from {@code path}. */
        public ValidatedModel toValidatedModel(String name, String path) {
            return new ValidatedModel(name, file.version(), file.type(), file.createdAt().toEpochMilli(), path, new ModelBytes.Inline(binary),
                    file.rollout(), Optional.empty(), file.profile(), file.featureSpec());
        }
    }

    /**
     * A model file that may not, and why.
     *
     * @param version the version it holds, if it could be decoded
     */
    public record Rejected(String reason, String message, OptionalLong version) implements Verdict {
        public Rejected(String reason, String message) {
            this(reason, message, OptionalLong.empty());
        }
    }

    public Verdict validate(ModelFileBytes file) {
        if (file.readError != null) {
            return new Rejected(ModelFileException.Reason.UNREADABLE.name(),
                    "model file " + file.path + " cannot be read: " + file.readError);
        }
        ModelFile decoded;
        try {
            decoded = codec.decode(file.path, file.bytes);
        } catch (ModelFileException e) {
            return new Rejected(e.reason().name(), e.getMessage());
        } catch (RuntimeException e) {
            // A model type's own code failed on these parameters: a bad file, not a reason to fail the job.
            return new Rejected(ModelFileException.Reason.INVALID_PARAMETERS.name(),
                    "model file " + file.path + " has parameters its model type fails on: " + e);
        }
        OptionalLong version = OptionalLong.of(decoded.version());
        OptionalLong named = ModelDirectory.versionOf(file.path.substring(file.path.lastIndexOf('/') + 1));
        if (named.isPresent() && named.getAsLong() != decoded.version()) {
            decoded.model().close();
            return new Rejected(VERSION_MISMATCH, "model file " + file.path + " is named for version "
                    + named.getAsLong() + " but holds version " + decoded.version(), version);
        }
        byte[] binary;
        try (Model model = decoded.model()) {
            binary = BinaryForm.of(model);
            if (decoded.featureSpec().isPresent() != (inputFormat == InputFormat.EVENTS)) {
                return new Rejected(INPUT_MISMATCH, "model file " + file.path + " (version " + decoded.version() + ") "
                        + (inputFormat == InputFormat.EVENTS
                                ? "declares no feature spec, but this job reads raw events (--input-format events), whose"
                                        + " features only a spec says how to compute: train it with fitter train --feature-spec"
                                : "declares features computed from raw events (a feature spec: " + decoded.featureSpec().get().names()
                                        + "); this job reads ready-made inputs (--input-format "
                                        + inputFormat.name().toLowerCase(Locale.ROOT) + "): run it with --input-format events"),
                        version);
            }
            if (model instanceof RemoteModel) {
                // A pointer: what it scores is up to the server, which may be down right now. The
                // loader checks its fallback model, if any, like any local model.
                return new Accepted(decoded, binary);
            }
            boolean takesFeatures = model instanceof FeatureModel;
            if (takesFeatures != inputFormat.hasFeatures()) {
                return new Rejected(INPUT_MISMATCH, "model file " + file.path + " (version " + decoded.version()
                        + ") holds a " + decoded.type() + " model, which scores " + (takesFeatures ? "feature vectors" : "integers")
                        + ", but this job reads " + (inputFormat.hasFeatures() ? "feature vectors" : "integers")
                        + " (--input-format " + inputFormat.name().toLowerCase(Locale.ROOT) + ")", version);
            }
            if (decoded.profile().isPresent() && (!takesFeatures
                    || ((FeatureModel) model).featureCount() != decoded.profile().get().featureCount())) {
                return new Rejected(PROFILE_MISMATCH, "model file " + file.path + " (version " + decoded.version()
                        + ") has a training profile of " + decoded.profile().get().featureCount() + " features for a model that"
                        + (takesFeatures ? " takes " + ((FeatureModel) model).featureCount() : " takes integers")
                        + "; publish it again with fitter train, or without its 'profile' section", version);
            }
            ModelProbe.check(model);
        } catch (ProbeFailedException e) {
            return new Rejected(PROBE_FAILED, "model file " + file.path + " (version " + decoded.version()
                    + ") fails its probe: the model " + e.getMessage(), version);
        } catch (RuntimeException e) {
            return new Rejected(PROBE_FAILED, "model file " + file.path + " (version " + decoded.version()
                    + ") fails its probe: " + e, version);
        }
        return new Accepted(decoded, binary);
    }
}
