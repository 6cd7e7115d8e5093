package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.model.IntegerModel;

/** An integer model, scoring each input's value; feature vectors are rejected (the loader refuses such a model first). */
final class IntegerLiveModel implements LiveModel {

    private final IntegerModel model;
    /** How messages name this model: "model version 3", or "fallback model version 3". */
    private final String name;

    IntegerLiveModel(IntegerModel model, String name) {
        this.model = model;
        this.name = name;
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        if (batch.hasFeatures()) {
            for (int i = 0; i < batch.size(); i++) {
                sink.rejected(i, name + " (" + model.typeName() + ") does not score feature vectors");
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            String output;
            try {
                output = model.transform(batch.value(i));
            } catch (RuntimeException e) {
                sink.rejected(i, name + " failed on this input: " + e);
                continue;
            }
            sink.output(i, output);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
