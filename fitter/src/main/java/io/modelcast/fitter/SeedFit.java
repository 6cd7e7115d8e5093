package io.modelcast.fitter;

import io.modelcast.model.CustomModel;
import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFile;

import java.io.IOException;
import java.util.Optional;

/**
 * The seed project's "fit": the next model is the newest published one with {@code isCloned}
 * flipped; with nothing published yet, a cloned model.
 */
final class SeedFit {

    private SeedFit() {}

    static Model next(Optional<ModelFile> newest) throws IOException {
        if (newest.isEmpty()) {
            return new CustomModel(true);
        }
        Model model = newest.get().model();
        if (!(model instanceof CustomModel custom)) {
            throw new IOException(
                    "the newest model (version "
                            + newest.get().version()
                            + ") is of type '"
                            + model.typeName()
                            + "'; fit only flips '"
                            + CustomModel.TYPE
                            + "' models");
        }
        return custom.flipped();
    }
}
