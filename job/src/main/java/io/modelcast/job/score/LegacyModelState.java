package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.OperatorStateStore;

/**
 * Moves the broadcast state of builds before {@link ValidatedModel} ({@link
 * Descriptors#LEGACY_CURRENT_MODEL}: model file bytes) into {@link Descriptors#MODELS}, once, on
 * restore. Those bytes were validated by the loader of that build; they are decoded here one last
 * time, on every subtask alike, so the broadcast state stays the same everywhere.
 */
final class LegacyModelState {

    private LegacyModelState() {}

    /**
     * Converts the legacy entry, if there is one and {@code models} has none for its slot, and
     * clears the legacy state.
     *
     * @throws ModelFileException if the legacy model file no longer decodes (a model type removed
     *     from this build): the restore fails, saying which file
     */
    static void migrate(OperatorStateStore store, BroadcastState<String, ValidatedModel> models, long maxModelBytes)
            throws Exception {
        if (!store.getRegisteredBroadcastStateNames().contains(Descriptors.LEGACY_CURRENT_MODEL.getName())) {
            // Not restored from such a build: registering the old state would only add it to every checkpoint.
            return;
        }
        BroadcastState<String, ModelUpdate> legacy = store.getBroadcastState(Descriptors.LEGACY_CURRENT_MODEL);
        ModelUpdate update = legacy.get(Descriptors.LEGACY_CURRENT_MODEL_KEY);
        if (update != null && !models.contains(Descriptors.DEFAULT_SLOT)) {
            ModelFileCodec codec = new ModelFileCodec(maxModelBytes);
            ValidatedModel model = convert(codec, update.source, update.fileBytes);
            if (update.fallbackFileBytes != null) {
                model = model.withFallback(convert(codec, update.fallbackSource, update.fallbackFileBytes));
            }
            models.put(Descriptors.DEFAULT_SLOT, model);
        }
        legacy.clear();
    }

    private static ValidatedModel convert(ModelFileCodec codec, String source, byte[] fileBytes) throws ModelFileException {
        ModelFile file = codec.decode(source, fileBytes);
        try {
            return new ValidatedModel(file.version(), file.type(), file.createdAt().toEpochMilli(), source,
                    BinaryForm.of(file.model()));
        } finally {
            file.model().close();
        }
    }
}
