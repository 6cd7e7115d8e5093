package io.modelcast.job.models;

import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.model.ModelProbe;
import io.modelcast.model.ModelProbe.ProbeFailedException;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

/**
 * Everything a model file must pass before it is broadcast: it was read, it is within the size
 * limit, it is a well-formed model file whose parameters match their checksum, and its model
 * scores the {@linkplain ModelProbe probe inputs}. Used by the model source, to pick the newest
 * valid file, and by the loader, which decides. Not thread-safe only in that callers own it.
 */
public final class ModelValidator {

    /** Reason code of a model that failed its probe. */
    public static final String PROBE_FAILED = "PROBE_FAILED";

    private final ModelFileCodec codec;

    public ModelValidator(long maxModelBytes) {
        this.codec = new ModelFileCodec(maxModelBytes);
    }

    /** The outcome: the decoded file, or a reason code and a message naming the file. */
    public sealed interface Verdict permits Accepted, Rejected {}

    /** A model file that may be broadcast. */
    public record Accepted(ModelFile file) implements Verdict {}

    /** A model file that may not, and why. */
    public record Rejected(String reason, String message) implements Verdict {}

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
        }
        try {
            ModelProbe.check(decoded.model());
        } catch (ProbeFailedException e) {
            return new Rejected(PROBE_FAILED, "model file " + file.path + " (version " + decoded.version()
                    + ") fails its probe: the model " + e.getMessage());
        }
        return new Accepted(decoded);
    }
}
