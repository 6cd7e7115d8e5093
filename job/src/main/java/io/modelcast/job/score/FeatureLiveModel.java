package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.model.FeatureModel;

/**
 * A feature model, scoring a batch's vectors up to {@code batchSize} at a time in one model call
 * each. A vector of the wrong length, or every input of a call that fails, is rejected with the
 * reason; integer inputs are rejected (the loader refuses such a model first). The rows of a call
 * are gathered in a buffer shared by every feature model of the thread ({@link #SCRATCH}): a subtask
 * holding many models pays for one buffer, not one per model (at 64 rows of 1,000 features, 256 KiB each).
 */
final class FeatureLiveModel implements LiveModel {

    private final FeatureModel model;
    private final String name;
    private final int batchSize;
    private final int featureCount;

    /** One call's rows (row-major), scores and the input each row is; grown as needed, per thread. */
    private static final class Scratch {
        float[] rows = new float[0];
        double[] scores = new double[0];
        int[] rowInputs = new int[0];

        Scratch fit(int batchSize, int featureCount) {
            if (rows.length < batchSize * featureCount) {
                rows = new float[batchSize * featureCount];
            }
            if (scores.length < batchSize) {
                scores = new double[batchSize];
                rowInputs = new int[batchSize];
            }
            return this;
        }
    }

    /** Scoring subtasks run one model call at a time on their thread, so one buffer per thread serves all its models. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    FeatureLiveModel(FeatureModel model, String name, int batchSize) {
        this.model = model;
        this.name = name;
        this.batchSize = batchSize;
        this.featureCount = model.featureCount();
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        if (!batch.hasFeatures()) {
            for (int i = 0; i < batch.size(); i++) {
                sink.rejected(i, name + " (" + model.typeName() + ") does not score integers");
            }
            return;
        }
        Scratch scratch = SCRATCH.get().fit(batchSize, featureCount);
        float[] rows = scratch.rows;
        int[] rowInputs = scratch.rowInputs;
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
                call(scratch, count, sink);
                count = 0;
            }
        }
        if (count > 0) {
            call(scratch, count, sink);
        }
    }

    /** One model call over the first {@code count} rows. */
    private void call(Scratch scratch, int count, ScoreSink sink) {
        double[] scores = scratch.scores;
        int[] rowInputs = scratch.rowInputs;
        try {
            model.score(scratch.rows, count, scores);
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
