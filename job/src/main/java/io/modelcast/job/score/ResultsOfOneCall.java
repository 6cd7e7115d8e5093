package io.modelcast.job.score;

import io.modelcast.job.records.Result;

import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the results the scorer makes in one call (an input batch, or the held inputs a model's
 * arrival releases) and hands them on as one list.
 *
 * <p>Why: the scoring operator has several outputs (its results and the side outputs that are
 * consumed), and with object reuse Flink makes a copy of the stream record for every output but
 * one, for every element on the main output — even for outputs that only take a side output. One
 * list per call makes that a cost per batch instead of per record (about a fifth of the socket
 * path's throughput, {@code bin/bench throughput}). {@link UnbatchResults}, chained right behind the
 * scorer, turns the lists back into results.
 *
 * <p>One per subtask, reused call after call; a list, once handed on, is never touched again.
 */
final class ResultsOfOneCall implements Collector<Result> {

    private Collector<List<Result>> out;
    private ArrayList<Result> results = new ArrayList<>();

    /**
     * Starts a call whose results go to {@code out}, with room for {@code expected} of them (the
     * inputs of the call: a list that grows as it fills cost a fifth of the scorer's time).
     */
    ResultsOfOneCall to(Collector<List<Result>> out, int expected) {
        this.out = out;
        results.ensureCapacity(expected);
        return this;
    }

    @Override
    public void collect(Result result) {
        results.add(result);
    }

    /** Hands on the results of this call, if there are any. */
    void flush() {
        if (!results.isEmpty()) {
            out.collect(results);
            results = new ArrayList<>();
        }
    }

    @Override
    public void close() {}
}
