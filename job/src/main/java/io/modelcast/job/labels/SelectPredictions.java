package io.modelcast.job.labels;

import io.modelcast.job.records.Result;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** The results that can be labelled — a feature model's, of a record with an id — as {@link Prediction}s; the rest pass by. */
public final class SelectPredictions implements FlatMapFunction<Result, Prediction> {

    private final boolean keepInputs;

    /** @param keepInputs whether each prediction keeps its record's input, for labelled examples */
    public SelectPredictions(boolean keepInputs) {
        this.keepInputs = keepInputs;
    }

    @Override
    public void flatMap(Result result, Collector<Prediction> out) {
        Prediction.of(result, keepInputs).ifPresent(out::collect);
    }
}
