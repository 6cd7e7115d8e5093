package io.modelcast.job.score;

import io.modelcast.job.records.Result;

import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the results the scorer makes in one call (an input batch, or the held inputs a model's
 * arrival releases) and hands them on in lists of up to {@value #CHUNK}.
 *
 * <p>Why: the scoring operator has several outputs (its results and the side outputs that are
 * consumed), and with object reuse Flink makes a copy of the stream record for every output but
 * one, for every element on the main output — even for outputs that only take a side output. A
 * list per {@value #CHUNK} results makes that a cost per chunk instead of per record, and a chunk
 * stays in the processor's cache until {@link UnbatchResults}, chained right behind the scorer,
 * has turned it back into results (a list per input batch — tens of thousands of results from a
 * socket read — did not, and cost as much as it saved).
 *
 * <p>One per subtask, with one list, reused: when {@code collect} returns, the list's consumers are
 * done with it (a chained operator has run; a network output has serialized it), and no operator
 * may keep an object it was given while object reuse is on.
 */
final class ResultsOfOneCall implements Collector<Result> {

    /** Results per list handed on. */
    static final int CHUNK = 256;

    private final ArrayList<Result> results = new ArrayList<>(CHUNK);
    private Collector<List<Result>> out;

    /** Starts a call whose results go to {@code out}. */
    ResultsOfOneCall to(Collector<List<Result>> out) {
        this.out = out;
        return this;
    }

    @Override
    public void collect(Result result) {
        results.add(result);
        if (results.size() == CHUNK) {
            flush();
        }
    }

    /** Hands on the results gathered since the last list, if there are any. */
    void flush() {
        if (!results.isEmpty()) {
            out.collect(results);
            results.clear();
        }
    }

    @Override
    public void close() {}
}
