package io.modelcast.job.score;

import io.modelcast.job.records.RemoteRequest;

import java.util.List;
import java.util.Optional;

/**
 * Where a {@link LiveModel} puts what it made of each input of a batch, by the input's index: the
 * scorer stamps results with the model's version, age and subtask and routes them (results, stale
 * results, rejections, remote requests), so models know nothing of outputs or metrics.
 */
public interface ScoreSink {

    /** An integer model's output for input {@code input}. */
    void output(int input, String output);

    /** A feature model's score for input {@code input}, and the label it gives. */
    void prediction(int input, double score, int label);

    /** Input {@code input} could not be scored, and why. */
    void rejected(int input, String reason);

    /**
     * One request to the remote model {@code pointer}: inputs {@code from} to {@code from +
     * instances.size() - 1}, each with its instance, and the fallback's outcomes for them if there
     * is a fallback. Only a {@link RemoteLiveModel} makes these.
     */
    void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
            Optional<RemoteRequest.Fallback> fallback);
}
