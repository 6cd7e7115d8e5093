package io.modelcast.job.score;

import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A {@link ScoreSink} that keeps what a model made of each input of a batch, to compare two models'
 * outcomes (a champion's and its challenger's) before anything is emitted, and then to pass them on
 * ({@link #replay}). A remote model's requests are kept as they were asked for ({@link #calls}), their
 * inputs {@link #pending}, for the rollout to send out with what stands in for them. Reused batch
 * after batch.
 */
final class CapturedOutcomes implements ScoreSink {

    /** What became of an input. */
    enum Kind { NONE, OUTPUT, PREDICTION, REJECTED, REMOTE }

    /** A request a remote model asked for: inputs {@code from} to {@code from + instances.size() - 1}. */
    record Call(int from, String pointer, RemoteRequest.Kind kind, List<String> instances) {}

    private final List<Call> calls = new ArrayList<>();
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
        calls.clear();
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
        // The model's own fallback is not used: in a rollout, the champion stands in for a failed call.
        calls.add(new Call(from, pointer, kind, instances));
        Arrays.fill(kinds, from, from + instances.size(), Kind.REMOTE);
    }

    /** The requests a remote model asked for in this batch; empty for a local model. */
    List<Call> calls() {
        return calls;
    }

    /** Whether input {@code input} waits for a remote model's answer. */
    boolean pending(int input) {
        return kinds[input] == Kind.REMOTE;
    }

    /** What a local model made of inputs {@code from} to {@code from + count - 1}, to ride along with a request. */
    List<LocalOutcome> outcomes(int from, int count) {
        List<LocalOutcome> outcomes = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            outcomes.add(switch (kinds[i]) {
                case OUTPUT -> new LocalOutcome.Output(texts[i], OptionalDouble.empty());
                case PREDICTION -> new LocalOutcome.Output(Integer.toString(labels[i]), OptionalDouble.of(scores[i]));
                default -> new LocalOutcome.Failure(text(i));
            });
        }
        return outcomes;
    }

    Kind kind(int input) {
        return kinds[input];
    }

    /** Whether the model could not score input {@code input} (false while it waits for a remote answer). */
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
