package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RemoteRequest;

import java.util.List;
import java.util.Optional;

/**
 * A model that takes features computed from raw events by its feature spec: it scores only vectors
 * that spec computed (by their fingerprint) and rejects the others with the reason, so a model never
 * scores features of another spec — which can happen only for the moments a spec change takes to
 * reach every subtask. Batches whose vectors all fit (nearly all) go to the model as they are.
 */
final class SpecCheckedModel implements LiveModel {

    private final LiveModel model;
    private final long fingerprint;
    private final String name;

    SpecCheckedModel(LiveModel model, long fingerprint, String name) {
        this.model = model;
        this.fingerprint = fingerprint;
        this.name = name;
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        int[] fitting = new int[batch.size()];
        int count = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.hasSpecs() && batch.spec(i) == fingerprint) {
                fitting[count++] = i;
            } else {
                sink.rejected(i, batch.hasSpecs()
                        ? "its features were computed by another feature spec than " + name + "'s (the spec changed while"
                                + " the event was on its way); it is not scored with features the model was not trained on"
                        : name + " takes features computed from raw events (--input-format events), not ready-made ones");
            }
        }
        if (count == batch.size()) {
            model.score(batch, sink);
        } else if (count > 0) {
            model.score(batch.select(fitting, count), new Reindexed(sink, fitting));
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /** A sink for a selection of a batch: hands each outcome on under the input's index in the whole batch. */
    private record Reindexed(ScoreSink sink, int[] indices) implements ScoreSink {

        @Override
        public void output(int input, String output) {
            sink.output(indices[input], output);
        }

        @Override
        public void prediction(int input, double score, int label) {
            sink.prediction(indices[input], score, label);
        }

        @Override
        public void rejected(int input, String reason) {
            sink.rejected(indices[input], reason);
        }

        @Override
        public void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
                Optional<RemoteRequest.Fallback> fallback) {
            // Requests cover consecutive inputs: hand them on one by one.
            for (int k = 0; k < instances.size(); k++) {
                int one = k;
                sink.remote(indices[from + k], pointer, kind, List.of(instances.get(k)), fallback.map(f -> new RemoteRequest.Fallback(f.version(), f.ageMs(), List.of(f.outcomes().get(one)))));
            }
        }
    }
}
