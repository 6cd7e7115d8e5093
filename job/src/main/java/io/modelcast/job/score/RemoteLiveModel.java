package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.model.remote.RemotePredictClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A remote model: not called here. Each input leaves in a {@link RemoteRequest} with the pointer,
 * up to {@code batchSize} to a request, for the asynchronous step after the scorer
 * ({@link io.modelcast.job.remote.CallRemoteModel}). With a local fallback, that model scores the
 * batch here too, and each input's fallback outcome rides along for the case the call fails: a
 * failed call then never waits for a model.
 */
final class RemoteLiveModel implements LiveModel {

    /** The pointer's parameters as compact JSON, the same for every input of this version. */
    private final String pointer;
    private final int batchSize;
    private final Optional<Fallback> fallback;

    /** The local model a remote one falls back to, its version, and when it was published (epoch milliseconds). */
    record Fallback(LiveModel model, long version, long createdAtMillis) {}

    RemoteLiveModel(String pointer, int batchSize, Optional<Fallback> fallback) {
        this.pointer = pointer;
        this.batchSize = batchSize;
        this.fallback = fallback;
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        Optional<LocalOutcome[]> outcomes = fallback.map(f -> FallbackOutcomes.of(f.model(), batch));
        RemoteRequest.Kind kind = batch.hasFeatures() ? RemoteRequest.Kind.FEATURES : RemoteRequest.Kind.INTEGERS;
        for (int from = 0; from < batch.size(); from += batchSize) {
            int to = Math.min(from + batchSize, batch.size());
            List<String> instances = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                float[] features = batch.features(i);
                instances.add(kind == RemoteRequest.Kind.FEATURES
                        ? RemotePredictClient.featureInstance(features, 0, features.length)
                        : RemotePredictClient.integerInstance(batch.value(i)));
            }
            int first = from;
            sink.remote(from, pointer, kind, instances, outcomes.map(all -> new RemoteRequest.Fallback(
                    fallback.get().version(), System.currentTimeMillis() - fallback.get().createdAtMillis(),
                    Arrays.asList(all).subList(first, to))));
        }
    }

    @Override
    public void close() {
        fallback.ifPresent(f -> f.model().close());
    }

    /** What the fallback model made of each input of one batch. */
    private static final class FallbackOutcomes implements ScoreSink {
        private final LocalOutcome[] outcomes;

        private FallbackOutcomes(int size) {
            this.outcomes = new LocalOutcome[size];
        }

        static LocalOutcome[] of(LiveModel model, InputBatch batch) {
            FallbackOutcomes results = new FallbackOutcomes(batch.size());
            model.score(batch, results);
            return results.outcomes;
        }

        @Override
        public void output(int input, String output) {
            outcomes[input] = new LocalOutcome.Output(output, OptionalDouble.empty());
        }

        @Override
        public void prediction(int input, double score, int label) {
            outcomes[input] = new LocalOutcome.Output(Integer.toString(label), OptionalDouble.of(score));
        }

        @Override
        public void rejected(int input, String reason) {
            outcomes[input] = new LocalOutcome.Failure(reason);
        }

        @Override
        public void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
                Optional<RemoteRequest.Fallback> fallback) {
            throw new IllegalStateException("a fallback model is local: the loader refuses a remote one");
        }
    }
}
