package io.modelcast.job;

import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.model.CustomModel;
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
    public static ModelUpdate update(long version, boolean cloned) {
        return new ModelUpdate(version, CustomModel.TYPE, CREATED.toEpochMilli(),
                "models/model-" + version + ".json", fileBytes(version, cloned));
    }
}
