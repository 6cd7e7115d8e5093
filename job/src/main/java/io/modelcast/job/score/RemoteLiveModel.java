package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RemoteCall;
import io.modelcast.model.remote.RemotePredictClient;

import java.util.Arrays;
import java.util.Optional;

/**
 * A remote model: not called here. Each input leaves with the pointer attached, up to {@code
 * batchSize} to a request, for the asynchronous step after the scorer
 * ({@link io.modelcast.job.remote.CallRemoteModel}). With a local fallback, that model scores the
 * batch here too, and each input's fallback result (or why there is none) rides along for the case
 * the call fails: a failed call then never waits for a model.
 */
final class RemoteLiveModel implements LiveModel {

    private final long version;
    /** The pointer's parameters as compact JSON, the same for every input of this version. */
    private final String pointer;
    private final int batchSize;
    private final Optional<Fallback> fallback;

    /** The local model a remote one falls back to, and its version. */
    record Fallback(LiveModel model, long version) {}

    RemoteLiveModel(long version, String pointer, int batchSize, Optional<Fallback> fallback) {
        this.version = version;
        this.pointer = pointer;
        this.batchSize = batchSize;
        this.fallback = fallback;
    }

    @Override
    public void score(InputBatch batch, ScoreSink sink) {
        FallbackResults fallbackResults = fallback.map(f -> FallbackResults.of(f, batch)).orElse(null);
        for (int from = 0; from < batch.size(); from += batchSize) {
            RemoteCall[] calls = new RemoteCall[Math.min(batchSize, batch.size() - from)];
            for (int k = 0; k < calls.length; k++) {
                int i = from + k;
                float[] features = batch.features(i);
                calls[k] = new RemoteCall(version, pointer, features == null
                        ? RemotePredictClient.integerInstance(batch.value(i))
                        : RemotePredictClient.featureInstance(features, 0, features.length));
                if (fallbackResults != null) {
                    fallbackResults.attach(i, calls[k]);
                }
            }
            sink.remote(from, calls);
        }
    }

    @Override
    public void close() {
        fallback.ifPresent(f -> f.model().close());
    }

    /** What the fallback model made of each input of one batch. */
    private static final class FallbackResults implements ScoreSink {
        private final long version;
        private final String[] outputs;
        private final double[] scores;
        private final String[] errors;

        private FallbackResults(long version, int size) {
            this.version = version;
            this.outputs = new String[size];
            this.scores = new double[size];
            this.errors = new String[size];
            Arrays.fill(scores, Double.NaN);
        }

        static FallbackResults of(Fallback fallback, InputBatch batch) {
            FallbackResults results = new FallbackResults(fallback.version(), batch.size());
            fallback.model().score(batch, results);
            return results;
        }

        void attach(int input, RemoteCall call) {
            call.fallbackVersion = version;
            call.fallbackOutput = outputs[input];
            call.fallbackScore = scores[input];
            call.fallbackError = errors[input];
        }

        @Override
        public void output(int input, String output) {
            outputs[input] = output;
        }

        @Override
        public void prediction(int input, double score, int label) {
            outputs[input] = Integer.toString(label);
            scores[input] = score;
        }

        @Override
        public void rejected(int input, String reason) {
            errors[input] = reason;
        }

        @Override
        public void remote(int from, RemoteCall[] calls) {
            throw new IllegalStateException("a fallback model is local: the loader refuses a remote one");
        }
    }
}
