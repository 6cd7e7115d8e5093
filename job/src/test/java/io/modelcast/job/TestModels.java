package io.modelcast.job;

import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.CustomModel;
import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import java.time.Instant;

/** Model files and updates for tests. */
public final class TestModels {

    public static final Instant CREATED = Instant.parse("2026-11-21T06:40:00Z");

    private static final ModelFileCodec CODEC = new ModelFileCodec();

    private TestModels() {}

    /** The bytes of a valid model file. */
    public static byte[] fileBytes(long version, boolean cloned) {
        return CODEC.encode(ModelFile.create(version, CREATED, new CustomModel(cloned)));
    }

    /** A model file as the model source reads it. */
    public static ModelFileBytes file(long version, boolean cloned) {
        return ModelFileBytes.read("models/model-" + version + ".json", fileBytes(version, cloned));
    }

    /** A model update as the loader broadcasts it. */
    public static ValidatedModel update(long version, boolean cloned) {
        return update(version, CREATED.toEpochMilli(), new CustomModel(cloned));
    }

    /** A model update of any model, published at {@code createdAtMillis}. */
    public static ValidatedModel update(long version, long createdAtMillis, Model model) {
        return new ValidatedModel(version, model.typeName(), createdAtMillis, "models/model-" + version + ".json",
                BinaryForm.of(model));
    }
}
