package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.model.FeatureModel;

/**
 * A feature model, scoring a batch's vectors up to {@code batchSize} at a time in one model call
 * each. A vector of the wrong length, or every input of a call that fails, is rejected with the
 * reason; integer inputs are rejected (the loader refuses such a model first).
 */
final class FeatureLiveModel implements LiveModel {

    private final FeatureModel model;
    private final String name;
    private final int batchSize;
    private final int featureCount;
    /** Up to {@link #batchSize} vectors, row-major, for one call. */
    private final float[] rows;
    private final double[] scores;
    /** Which input of the batch being scored each row is. */
    private final int[] rowInputs;

    FeatureLiveModel(FeatureModel model, String name, int batchSize) {
        this.model = model;
        this.name = name;
        this.batchSize = batchSize;
        this.featureCount = model.featureCount();
        this.rows = new float[batchSize * featureCount];
        this.scores = new double[batchSize];
        this.rowInputs = new int[batchSize];
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        if (!batch.hasFeatures()) {
            for (int i = 0; i < batch.size(); i++) {
                sink.rejected(i, name + " (" + model.typeName() + ") does not score integers");
            }
            return;
        }
        int count = 0;
        for (int i = 0; i < batch.size(); i++) {
            int features = batch.featureCount(i);
            if (features != featureCount) {
                sink.rejected(i, "has " + features + " features; " + name + " takes " + featureCount);
                continue;
            }
            batch.copyFeatures(i, rows, count * featureCount);
            rowInputs[count++] = i;
            if (count == batchSize) {
                call(count, sink);
                count = 0;
            }
        }
        if (count > 0) {
            call(count, sink);
        }
    }

    /** One model call over the first {@code count} rows. */
    private void call(int count, ScoreSink sink) {
        try {
            model.score(rows, count, scores);
        } catch (RuntimeException e) {
            for (int r = 0; r < count; r++) {
                sink.rejected(rowInputs[r], name + " failed on the batch of " + count + " holding this input: " + e);
            }
            return;
        }
        for (int r = 0; r < count; r++) {
            sink.prediction(rowInputs[r], scores[r], model.label(scores[r]));
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
