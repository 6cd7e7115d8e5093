package io.modelcast.job.score;

import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.IntegerModel;
import io.modelcast.model.Model;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.remote.RemoteModel;

import java.io.IOException;
import java.util.Optional;

/** Builds the {@link LiveModel} of a validated update, from its binary form: the one place that maps a model to its kind. */
public final class LiveModels {

    private LiveModels() {}

    /**
     * The live model of {@code update}, with its fallback if it has one; a model with a feature spec
     * scores only vectors its spec computed ({@link SpecCheckedModel}).
     *
     * @param batchSize at most this many inputs go into one model call or one remote request
     * @throws IOException if a binary form cannot be read (from the model store, say) or is not one
     * @throws IllegalArgumentException if this build has no way to score the model
     */
    public static LiveModel build(ValidatedModel update, int batchSize) throws IOException {
        LiveModel live = unchecked(update, batchSize);
        return update.featureSpec().isEmpty() ? live
                : new SpecCheckedModel(live, update.featureSpec().get().fingerprint(), "model version " + update.version());
    }

    private static LiveModel unchecked(ValidatedModel update, int batchSize) throws IOException {
        Model model = BinaryForm.read(update.type(), update.bytes().read());
        if (model instanceof RemoteModel remote) {
            Optional<RemoteLiveModel.Fallback> fallback = Optional.empty();
            if (update.fallback().isPresent()) {
                ValidatedModel local = update.fallback().get();
                fallback = Optional.of(new RemoteLiveModel.Fallback(
                        local(BinaryForm.read(local.type(), local.bytes().read()), "fallback model version " + local.version(), batchSize),
                        local.version(), local.createdAtMillis()));
            }
            return new RemoteLiveModel(ModelTypes.parametersOf(remote).toString(), batchSize, fallback);
        }
        return local(model, "model version " + update.version(), batchSize);
    }

    private static LiveModel local(Model model, String name, int batchSize) {
        if (model instanceof LiveModel live) {
            return live;
        }
        if (model instanceof IntegerModel integer) {
            return new IntegerLiveModel(integer, name);
        }
        if (model instanceof FeatureModel features) {
            return new FeatureLiveModel(features, name, batchSize);
        }
        model.close();
        throw new IllegalArgumentException(name + " is a " + model.typeName()
                + " model, which this build cannot score: its model class implements neither IntegerModel, FeatureModel nor LiveModel");
    }
}
