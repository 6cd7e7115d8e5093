package io.modelcast.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.model.ModelName;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The keying step on its own: keys from the spec in force, rejections with reasons, events held until the first spec. */
class KeyEventsTest {

    @Test
    void eventsAreKeyedByTheModelAndTheValueOfTheKeyFieldItsSpecNames() throws Exception {
        try (var harness = harness(10)) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            harness.processElement(events("{\"ts\":1,\"user\":\"u7\",\"card\":\"c1\",\"amount\":2}"), 0);
            harness.processBroadcastElement(FeatureSpecs.update(2, FeatureSpecs.BY_CARD), 0);
            harness.processElement(events("{\"ts\":2,\"user\":\"u7\",\"card\":\"c1\",\"amount\":2}"), 0);

            assertThat(harness.extractOutputValues()).extracting(e -> e.key, e -> e.keyField, e -> e.version).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(KeyedEvent.key(ModelName.DEFAULT, "u7"), "user", 1L),
                    org.assertj.core.groups.Tuple.tuple(KeyedEvent.key(ModelName.DEFAULT, "c1"), "card", 2L));
        }
    }

    @Test
    void eventsWithoutATimeAKeyOrANumberAreRejectedSayingWhy() throws Exception {
        try (var harness = harness(10)) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            harness.processElement(events(
                    "{\"user\":\"u1\",\"amount\":2}",
                    "{\"ts\":\"yesterday\",\"user\":\"u1\",\"amount\":2}",
                    "{\"ts\":1,\"amount\":2}",
                    "{\"ts\":1,\"user\":\"u1\"}",
                    "{\"ts\":1,\"user\":\"u1\",\"amount\":2,\"model\":\"churn\"}"), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).extracting(r -> r.reason).containsExactly(
                    "the event has no time field 'ts'",
                    "the time field 'ts' is neither epoch milliseconds nor an ISO-8601 instant: \"yesterday\"",
                    "the features are by 'user', which the event does not have",
                    "feature 'amount' reads 'amount', which the event does not have",
                    "no model named churn with a feature spec is loaded (publish one into the models directory's churn/,"
                            + " or name another)");
        }
    }

    @Test
    void eventsBeforeAnySpecAreHeldThroughACheckpointAndKeyedWhenTheFirstArrives() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(2)) {
            harness.processElement(events("{\"ts\":1,\"user\":\"a\",\"amount\":1}", "{\"ts\":2,\"user\":\"b\",\"amount\":1}",
                    "{\"ts\":3,\"user\":\"c\",\"amount\":1}"), 0);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.getSideOutput(Descriptors.NO_MODEL_YET)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().reason).contains("no model with a feature spec yet"));
            snapshot = harness.snapshot(1, 0);
        }
        try (var restored = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new KeyEvents(ModelName.DEFAULT, "ts", 2), List.of(SpecsInForce.DESCRIPTOR)),
                1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);

            assertThat(restored.extractOutputValues()).extracting(e -> e.key)
                    .containsExactly(KeyedEvent.key(ModelName.DEFAULT, "a"), KeyedEvent.key(ModelName.DEFAULT, "b"));
        }
    }

    private static InputBatch events(String... texts) {
        return InputBatch.of(java.util.Arrays.stream(texts).map(t -> InputRecord.features(t, new float[0], null, null)
                .forModel(t.contains("churn") ? "churn" : null)).toList());
    }

    private static BroadcastOperatorTestHarness<InputBatch, ValidatedModel, KeyedEvent> harness(int maxPending) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new KeyEvents(ModelName.DEFAULT, "ts", maxPending),
                SpecsInForce.DESCRIPTOR);
    }

    private static List<RejectedRecord> rejected(BroadcastOperatorTestHarness<?, ?, ?> harness) {
        var side = harness.getSideOutput(Descriptors.BAD_RECORDS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
