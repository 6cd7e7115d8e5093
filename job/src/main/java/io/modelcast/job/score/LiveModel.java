package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;

/**
 * A model as a scoring subtask holds it: built once from a validated update ({@link LiveModels}),
 * held by the scorer in a small map and swapped as one reference. The scorer's loop hands it each
 * batch and never asks what kind it is, so a kind is added by implementing this interface — the
 * built-in ones are {@link IntegerLiveModel}, {@link FeatureLiveModel} and {@link RemoteLiveModel}
 * (a remote model with an optional local fallback); a model type whose models implement it
 * themselves is scored as they say.
 *
 * <p>Used by one thread, its subtask's; it may keep buffers between calls. Closed when replaced.
 */
public interface LiveModel extends AutoCloseable {

    /** Scores every input of {@code batch}: each one ends in exactly one call of {@code sink}. */
    void score(InputBatch batch, ScoreSink sink);

    /** Releases what the model holds outside the heap; a no-op for plain-Java models. */
    @Override
    default void close() {}
}
