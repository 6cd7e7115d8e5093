package io.modelcast.fitter;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

/** How the fitter prints a model on one line. */
final class Describe {

    private Describe() {}

    /**
     * {@code 3  custom  {"isCloned":true}  2026-11-21T06:40:00.123Z}, version first, and {@code
     * (promoted from 1)} for a promoted version.
     */
    static String line(ModelFile model) {
        return model.version()
                + "  "
                + model.type()
                + "  "
                + ModelFileCodec.canonicalJson(model.parameters())
                + "  "
                + model.createdAt()
                + (model.promotedFrom().isPresent() ? "  (promoted from " + model.promotedFrom().getAsLong() + ")" : "");
    }
}
