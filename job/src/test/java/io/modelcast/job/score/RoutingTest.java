package io.modelcast.job.score;

import static io.modelcast.job.TestModels.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.rollout.Rollout;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** One scoring subtask routing records by name, and a challenger joining and leaving its champion. */
class RoutingTest {

    @Test
    void eachRecordGoesToTheModelItNamesOrTheJobsDefaultName() throws Exception {
        try (BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness = open("fraud")) {
            harness.processBroadcastElement(update(3, true), 0);
            harness.processBroadcastElement(update(7, false).named("fraud"), 0);
            harness.processElement(InputBatch.of(List.of(new InputRecord("1", 1).forModel("default"),
                    new InputRecord("2", 2), new InputRecord("3", 3).forModel("nobody"))), 0);

            assertThat(ScorerResults.of(harness)).extracting(Result::input, Result::model, Result::modelVersion, Result::output)
                    .containsExactlyInAnyOrder(tuple("1", "default", 3L, new CustomModel(true).transform(1)),
                            tuple("2", "fraud", 7L, new CustomModel(false).transform(2)));
            List<RejectedRecord> rejected = harness.getSideOutput(Descriptors.BAD_RECORDS).stream().map(StreamRecord::getValue).toList();
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.input).isEqualTo("3");
                assertThat(r.reason).startsWith("UNKNOWN_MODEL: no model named nobody");
            });
        }
    }

    @Test
    void aChallengerRunsUntilANewerChampionEndsItsRollout() throws Exception {
        Rollout.Policy policy = new Rollout.Policy(100, 0.01, 0.2);
        try (BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness = open("default")) {
            harness.processBroadcastElement(update(1, true), 0);
            harness.processBroadcastElement(update(2, false).asChallenger(Rollout.shadow(1, policy)), 0);
            harness.processElement(InputBatch.of(new InputRecord("4", 4)), 0);
            harness.processBroadcastElement(update(3, false), 0);
            harness.processElement(InputBatch.of(new InputRecord("5", 5)), 0);

            assertThat(ScorerResults.of(harness)).extracting(Result::input, Result::modelVersion, Result::role)
                    .containsExactly(tuple("4", 1L, Result.Role.CHAMPION), tuple("5", 3L, Result.Role.ONLY));
            assertThat(harness.getSideOutput(Descriptors.SHADOW)).extracting(StreamRecord::getValue).singleElement().asString()
                    .contains("\"input\":\"4\"").contains("\"championVersion\":1").contains("\"challengerVersion\":2")
                    .contains("\"agree\":false");
            assertThat(harness.getBroadcastState(Descriptors.MODELS).contains("default" + ModelsInState.CHALLENGER_KEY_SUFFIX))
                    .as("the ended rollout's challenger is out of the state").isFalse();
        }
    }

    private static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> open(String defaultName) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new ScoreWithLiveModels(100,
                ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.none(), 64, defaultName, Duration.ofSeconds(10), Duration.ofMinutes(1)), Descriptors.MODELS);
    }
}
