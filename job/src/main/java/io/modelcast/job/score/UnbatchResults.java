package io.modelcast.job.score;

import io.modelcast.job.records.Result;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * The scorer's results one by one again: the scoring operator hands on the results of each call as
 * one list ({@link ResultsOfOneCall}); this step, chained to it, emits them in order.
 */
public final class UnbatchResults implements FlatMapFunction<List<Result>, Result> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(List<Result> results, Collector<Result> out) {
        for (int i = 0; i < results.size(); i++) {
            out.collect(results.get(i));
        }
    }
}
