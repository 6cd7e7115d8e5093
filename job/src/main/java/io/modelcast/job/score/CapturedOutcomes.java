package io.modelcast.job.score;

import io.modelcast.job.records.RemoteRequest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ScoreSink} that keeps what a model made of each input of a batch, to compare two models'
 * outcomes (a champion's and its challenger's) before anything is emitted, and then to pass them on
 * ({@link #replay}). For local models only: a remote request is refused. Reused batch after batch.
 */
final class CapturedOutcomes implements ScoreSink {

    /** What became of an input. */
    enum Kind { NONE, OUTPUT, PREDICTION, REJECTED }

    private Kind[] kinds = new Kind[0];
    private String[] texts = new String[0];
    private double[] scores = new double[0];
    private int[] labels = new int[0];
    private int size;

    /** Forgets the last batch and makes room for {@code inputs}. */
    CapturedOutcomes reset(int inputs) {
        if (kinds.length < inputs) {
            kinds = new Kind[inputs];
            texts = new String[inputs];
            scores = new double[inputs];
            labels = new int[inputs];
        }
        Arrays.fill(kinds, 0, inputs, Kind.NONE);
        Arrays.fill(texts, 0, inputs, null);
        size = inputs;
        return this;
    }

    @Override
    public void output(int input, String output) {
        kinds[input] = Kind.OUTPUT;
        texts[input] = output;
    }

    @Override
    public void prediction(int input, double score, int label) {
        kinds[input] = Kind.PREDICTION;
        scores[input] = score;
        labels[input] = label;
    }

    @Override
    public void rejected(int input, String reason) {
        kinds[input] = Kind.REJECTED;
        texts[input] = reason;
    }

    @Override
    public void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
            Optional<RemoteRequest.Fallback> fallback) {
        throw new IllegalStateException("a remote model takes no part in a rollout (the loader refuses it)");
    }

    Kind kind(int input) {
        return kinds[input];
    }

    boolean failed(int input) {
        return kinds[input] == Kind.REJECTED || kinds[input] == Kind.NONE;
    }

    /** An integer model's output, or a rejection's reason. */
    String text(int input) {
        return kinds[input] == Kind.NONE ? "the model gave no outcome" : texts[input];
    }

    double score(int input) {
        return scores[input];
    }

    int label(int input) {
        return labels[input];
    }

    /** Whether this and {@code other} came to the same output (label, for feature models) for {@code input}. */
    boolean agrees(CapturedOutcomes other, int input) {
        if (kinds[input] != other.kinds[input]) {
            return false;
        }
        return switch (kinds[input]) {
            case OUTPUT -> texts[input].equals(other.texts[input]);
            case PREDICTION -> labels[input] == other.labels[input];
            default -> false;
        };
    }

    /** Passes input {@code input}'s outcome on to {@code sink} as input {@code as}. */
    void replay(int input, ScoreSink sink, int as) {
        switch (kinds[input]) {
            case OUTPUT -> sink.output(as, texts[input]);
            case PREDICTION -> sink.prediction(as, scores[input], labels[input]);
            default -> sink.rejected(as, text(input));
        }
    }

    int size() {
        return size;
    }
}
