package io.modelcast.job.score;

import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.Result;

import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;

import java.util.List;

/** The results a scorer under test made so far, one by one, as {@link UnbatchResults} hands them on. */
final class ScorerResults {

    private ScorerResults() {}

    static List<Result> of(BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness) {
        return harness.extractOutputValues().stream().flatMap(List::stream).toList();
    }
}
