package io.modelcast.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.model.ModelName;
import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The feature step on its own, in Flink's operator harness: keyed histories, late events, spec changes, restore. */
class ComputeFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LATENESS = Duration.ofSeconds(5);

    @Test
    void eachKeysFeaturesComeFromItsOwnHistoryAndAreStampedWithTheSpec() throws Exception {
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            List<String> events = List.of(
                    FeatureSpecs.purchase(0, 1_000, 1, 10), FeatureSpecs.purchase(1, 2_000, 2, 100),
                    FeatureSpecs.purchase(2, 3_000, 1, 30), FeatureSpecs.purchase(3, 4_000, 2, 300));
            for (String event : events) {
                harness.processElement(keyed(1, FeatureSpecs.PURCHASES, event), 0);
            }

            List<InputBatch> vectors = harness.extractOutputValues();
            assertThat(vectors).hasSize(4);
            // Event 2, user 1's second: mean 20, max 30, two in the minute, 40 in 30 s, 2 s since the first.
            assertThat(vectors.get(2).features(0)).containsExactly(30f, 20f, 30f, 2f, 40f, 2f);
            assertThat(vectors.get(3).features(0)).containsExactly(300f, 200f, 300f, 2f, 400f, 2f);
            assertThat(vectors).allSatisfy(v -> {
                assertThat(v.spec(0)).isEqualTo(FeatureSpecs.PURCHASES.fingerprint());
                assertThat(v.model(0)).isEqualTo(ModelName.DEFAULT);
            });
            assertThat(vectors.get(1).id(0)).isEqualTo("e1");
            assertThat(vectors.get(1).text(0)).isEqualTo(events.get(1));
        }
    }

    @Test
    void anEventWithinTheLatenessCountsAtItsTimeAndALaterOneIsRejectedSayingHowLate() throws Exception {
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(0, 10_000, 1, 10)), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(1, 6_000, 1, 20)), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(2, 4_999, 1, 30)), 0);

            assertThat(harness.extractOutputValues()).hasSize(2);
            // Counted at its own time: before the first, so it sees nothing before it.
            assertThat(harness.extractOutputValues().get(1).features(0)).containsExactly(20f, 20f, 20f, 1f, 20f, -1f);
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.input).contains("\"e2\"");
                assertThat(r.reason).isEqualTo("late: 5001 ms behind the newest event of its key, more than"
                        + " --max-out-of-orderness (5000 ms)");
            });
        }
    }

    @Test
    void anEventKeyedWithTheSpecBeforeIsReadAgainForTheSpecInForceAndRejectedIfItCannotUseIt() throws Exception {
        io.modelcast.model.features.FeatureSpec withRisk = FeatureSpecs.spec(
                "{\"features\": [{\"name\": \"risk\", \"op\": \"max\", \"of\": \"risk\", \"by\": \"user\", \"last\": 3}]}");
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            harness.processBroadcastElement(FeatureSpecs.update(2, withRisk), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(0, 1_000, 1, 10)), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES,
                    "{\"id\":\"e1\",\"ts\":2000,\"user\":\"u1\",\"amount\":5,\"risk\":0.5}"), 0);

            assertThat(harness.extractOutputValues()).singleElement().satisfies(v -> {
                assertThat(v.id(0)).isEqualTo("e1");
                assertThat(v.features(0)).containsExactly(0.5f);
                assertThat(v.spec(0)).isEqualTo(withRisk.fingerprint());
            });
            assertThat(rejected(harness)).singleElement().extracting(r -> r.reason).asString()
                    .isEqualTo("feature 'risk' reads 'risk', which the event does not have");
        }
    }

    @Test
    void aNewSpecCarriesTheHistoriesItStillUsesAndDropsTheRestOnEveryKey() throws Exception {
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            long overhead = stateBytes(harness);
            for (int i = 0; i < 20; i++) {
                harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(i, 1_000L * i, i % 2, i)), 0);
            }
            long before = stateBytes(harness) - overhead;

            harness.processBroadcastElement(FeatureSpecs.update(2, FeatureSpecs.SMALLER), 0);
            long after = stateBytes(harness) - overhead;
            harness.processElement(keyed(2, FeatureSpecs.SMALLER, FeatureSpecs.purchase(20, 20_000, 0, 100)), 0);

            // User 0's last ten were 0, 2, …, 18: the carried history's last ten are now 2, …, 18 and 100,
            // mean 19; the new 'last' has no history, so no previous amount (0).
            assertThat(harness.extractOutputValues().get(20).features(0)).containsExactly(19f, 0f);
            assertThat(harness.extractOutputValues().get(20).spec(0)).isEqualTo(FeatureSpecs.SMALLER.fingerprint());
            // Two keys with five histories of up to ten events each, then one history each.
            assertThat(after).as("bytes of state after the switch (%d before)", before).isPositive().isLessThan(before / 3);
        }
    }

    @Test
    void anEventKeyedWithASpecThatHasNotArrivedWaitsForIt() throws Exception {
        try (var harness = harness()) {
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(0, 1_000, 1, 10)), 0);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);

            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(v -> assertThat(v.features(0)).containsExactly(10f, 10f, 10f, 1f, 10f, -1f));
            assertThat(rejected(harness)).isEmpty();
        }
    }

    @Test
    void anEventKeyedByAFieldTheSpecNoLongerKeysByIsRejectedNotMiscounted() throws Exception {
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            harness.processBroadcastElement(FeatureSpecs.update(2, FeatureSpecs.BY_CARD), 0);
            harness.processElement(keyed(1, FeatureSpecs.PURCHASES, FeatureSpecs.purchase(0, 1_000, 1, 10)), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).singleElement().extracting(r -> r.reason).asString()
                    .contains("keyed by 'user', but the feature spec now in force keys by 'card'");
        }
    }

    @Test
    void keyedStateRestoredFromASnapshotGivesTheSameFeatures() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            (i < 25 ? first : rest).add(FeatureSpecs.purchase(i, 700L * i, i % 3, (i * 7) % 11 + 1));
        }
        OperatorSubtaskState snapshot;
        List<InputBatch> uninterrupted;
        try (var harness = harness()) {
            harness.processBroadcastElement(FeatureSpecs.update(1, FeatureSpecs.PURCHASES), 0);
            for (String event : first) {
                harness.processElement(keyed(1, FeatureSpecs.PURCHASES, event), 0);
            }
            snapshot = harness.snapshot(1, 0);
            for (String event : rest) {
                harness.processElement(keyed(1, FeatureSpecs.PURCHASES, event), 0);
            }
            uninterrupted = harness.extractOutputValues().subList(first.size(), first.size() + rest.size());
        }
        try (var restored = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(function(), List.of(SpecsInForce.DESCRIPTOR)),
                (KeyedEvent e) -> e.key, Types.STRING, 1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            for (String event : rest) {
                restored.processElement(keyed(1, FeatureSpecs.PURCHASES, event), 0);
            }

            List<InputBatch> resumed = restored.extractOutputValues();
            for (int i = 0; i < rest.size(); i++) {
                assertThat(resumed.get(i).features(0)).as("features of %s", rest.get(i)).containsExactly(uninterrupted.get(i).features(0));
            }
            assertThat(resumed).isEqualTo(uninterrupted);
        }
        // And they are what the fitter computes offline.
        assertThat(uninterrupted.get(rest.size() - 1).features(0)).containsExactly(
                asFloats(FeatureComputer.offline(FeatureSpecs.PURCHASES, allEvents(first, rest)).get(39)));
    }

    private static List<Event> allEvents(List<String> first, List<String> rest) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String event : first) {
            events.add(Event.of(JSON.readTree(event), "ts"));
        }
        for (String event : rest) {
            events.add(Event.of(JSON.readTree(event), "ts"));
        }
        return events;
    }

    private static float[] asFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** The bytes every key's histories take in keyed state. */
    private static long stateBytes(KeyedBroadcastOperatorTestHarness<String, KeyedEvent, ValidatedModel, InputBatch> harness)
            throws Exception {
        return harness.snapshot(9, 0).getManagedKeyedState().stream().mapToLong(s -> s.getStateSize()).sum();
    }

    static KeyedEvent keyed(long version, io.modelcast.model.features.FeatureSpec spec, String text) throws Exception {
        Event event = Event.of(JSON.readTree(text), "ts");
        String field = spec.keyField().orElse(null);
        return new KeyedEvent(ModelName.DEFAULT, version, field, field == null ? "" : event.key(field), event.timeMillis(),
                new FeatureComputer(spec, 0).inputs(event), text, event.fields().path("id").asText(null), null);
    }

    private static ComputeFeatures function() {
        return new ComputeFeatures("ts", LATENESS, Duration.ofDays(7));
    }

    private static KeyedBroadcastOperatorTestHarness<String, KeyedEvent, ValidatedModel, InputBatch> harness() throws Exception {
        return org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                function(), (KeyedEvent e) -> e.key, Types.STRING, SpecsInForce.DESCRIPTOR);
    }

    private static List<RejectedRecord> rejected(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var side = harness.getSideOutput(Descriptors.BAD_RECORDS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
