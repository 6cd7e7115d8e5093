package io.modelcast.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class FeatureComputerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachAggregateOverTheLastNEventsOfItsKey() throws Exception {
        FeatureComputer computer = computer(0, "count", "sum", "mean", "min", "max", "distinct_count");
        KeyHistories histories = computer.newHistories();
        double[] last = null;
        for (double[] event : new double[][] {{1000, 1}, {2000, 5}, {3000, 2}, {4000, 8}, {5000, 8}}) {
            last = computer.compute(event("u", (long) event[0], event[1]), histories);
        }
        // The last 3 of the key, the current one included: 2, 8, 8.
        assertThat(last).containsExactly(3, 18, 6, 2, 8, 2);
    }

    @Test
    void eachAggregateOverASlidingWindow() throws Exception {
        FeatureComputer computer = new FeatureComputer(spec("""
                {"features": [
                  {"name": "n", "op": "count", "by": "user", "window": "1500ms"},
                  {"name": "total", "op": "sum", "of": "amount", "by": "user", "window": "1500ms"},
                  {"name": "avg", "op": "mean", "of": "amount", "by": "user", "window": "1500ms"},
                  {"name": "lo", "op": "min", "of": "amount", "by": "user", "window": "1500ms"},
                  {"name": "hi", "op": "max", "of": "amount", "by": "user", "window": "1500ms"},
                  {"name": "kinds", "op": "distinct_count", "of": "amount", "by": "user", "window": "1500ms"}]}"""), 0);
        KeyHistories histories = computer.newHistories();
        double[] last = null;
        for (double[] event : new double[][] {{1000, 1}, {2000, 5}, {3000, 2}, {4000, 8}}) {
            last = computer.compute(event("u", (long) event[0], event[1]), histories);
        }
        // (2.5 s, 4 s]: 2 and 8.
        assertThat(last).containsExactly(2, 10, 5, 2, 8, 2);
    }

    @Test
    void lastAndSecondsSinceLastLookAtThePreviousEventOfTheKeyOrGiveMissing() throws Exception {
        FeatureComputer computer = new FeatureComputer(spec("""
                {"features": [
                  {"name": "prev", "op": "last", "of": "amount", "by": "user", "missing": -1},
                  {"name": "since", "op": "seconds_since_last", "by": "user", "missing": -1},
                  {"name": "since_1m", "op": "seconds_since_last", "by": "user", "window": "1m", "missing": 99},
                  {"name": "amount", "op": "value", "of": "amount"}]}"""), 0);
        KeyHistories histories = computer.newHistories();

        assertThat(computer.compute(event("u", 1_000, 4), histories)).containsExactly(-1, -1, 99, 4);
        assertThat(computer.compute(event("u", 3_500, 6), histories)).containsExactly(4, 2.5, 2.5, 6);
        assertThat(computer.compute(event("u", 123_500, 7), histories)).containsExactly(6, 120, 99, 7);
    }

    @Test
    void anOutOfOrderEventWithinTheLatenessCountsAsOfItsOwnTime() throws Exception {
        FeatureComputer computer = new FeatureComputer(spec("""
                {"features": [
                  {"name": "sum3", "op": "sum", "of": "amount", "by": "user", "last": 3},
                  {"name": "sum2s", "op": "sum", "of": "amount", "by": "user", "window": "2s"},
                  {"name": "prev", "op": "last", "of": "amount", "by": "user"}]}"""), 10_000);
        KeyHistories histories = computer.newHistories();
        computer.compute(event("u", 1000, 1), histories);
        computer.compute(event("u", 2000, 10), histories);
        computer.compute(event("u", 4000, 1000), histories);

        // Late: t = 3 s sees 1, 10 and itself; the 4 s event is after it.
        assertThat(computer.compute(event("u", 3000, 100), histories)).containsExactly(111, 110, 10);
        // Then t = 5 s sees the late one in its place.
        assertThat(computer.compute(event("u", 5000, 10000), histories)).containsExactly(11100, 11000, 1000);
    }

    @Test
    void keysHaveTheirOwnHistories() throws Exception {
        FeatureComputer computer = computer(0, "count");
        List<Event> events = List.of(event("a", 1, 1), event("b", 2, 1), event("a", 3, 1), event("a", 4, 1));

        List<double[]> features = FeatureComputer.offline(computer.spec(), events);

        assertThat(features).extracting(f -> f[0]).containsExactly(1.0, 1.0, 2.0, 3.0);
    }

    @Test
    void historiesStayBoundedByLastNAndByTheWindow() throws Exception {
        FeatureComputer counting = computer(0, "count");
        KeyHistories byLast = counting.newHistories();
        FeatureComputer windowed = new FeatureComputer(spec(
                "{\"features\": [{\"name\": \"n\", \"op\": \"count\", \"by\": \"user\", \"window\": \"1s\"}]}"), 500);
        KeyHistories byWindow = windowed.newHistories();
        for (int i = 0; i < 1000; i++) {
            counting.compute(event("u", i * 100L, 1), byLast);
            windowed.compute(event("u", i * 100L, 1), byWindow);
        }

        // The last 3, and the newest once more for an event of the same time.
        assertThat(byLast.events()).isBetween(3, 4);
        // 1 s of events at 10 a second, and half a second of lateness.
        assertThat(byWindow.events()).isBetween(14, 16);
    }

    @Test
    void offlineFeaturesEqualOnlineFeaturesForAStreamInEventTimeOrder() throws Exception {
        FeatureSpec spec = spec("""
                {"features": [
                  {"name": "amount", "op": "value", "of": "amount"},
                  {"name": "n10", "op": "count", "by": "user", "window": "10s"},
                  {"name": "mean5", "op": "mean", "of": "amount", "by": "user", "last": 5},
                  {"name": "max1m", "op": "max", "of": "amount", "by": "user", "window": "1m"},
                  {"name": "since", "op": "seconds_since_last", "by": "user", "missing": -1}]}""");
        Random random = new Random(21);
        List<Event> events = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < 5000; i++) {
            time += random.nextInt(500);
            events.add(event("user-" + random.nextInt(50), time, Math.round(random.nextDouble() * 10000) / 100.0));
        }
        FeatureComputer online = new FeatureComputer(spec, 2000);
        java.util.Map<String, KeyHistories> state = new java.util.HashMap<>();

        List<double[]> offline = FeatureComputer.offline(spec, events);
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            double[] computed = online.compute(event, state.computeIfAbsent(online.key(event), k -> online.newHistories()));
            assertThat(computed).as("event %d", i).containsExactly(offline.get(i));
        }
    }

    @Test
    void historiesSurviveTheirBinaryFormAndGoOnAlike() throws Exception {
        FeatureComputer computer = computer(0, "sum");
        KeyHistories histories = computer.newHistories();
        computer.compute(event("u", 1, 2), histories);
        computer.compute(event("u", 2, 3), histories);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        histories.write(new DataOutputStream(bytes));

        KeyHistories restored = KeyHistories.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(computer.compute(event("u", 3, 4), restored)).containsExactly(computer.compute(event("u", 3, 4), histories));
    }

    @Test
    void aNewSpecKeepsTheHistoriesOfFeaturesItStillComputesAndDropsTheRest() throws Exception {
        FeatureComputer before = new FeatureComputer(spec("""
                {"features": [
                  {"name": "total", "op": "sum", "of": "amount", "by": "user", "last": 3},
                  {"name": "n", "op": "count", "by": "user", "window": "1h"}
                ]}"""), 0);
        KeyHistories histories = before.newHistories();
        before.compute(event("u", 1000, 2), histories);
        before.compute(event("u", 2000, 5), histories);
        // Renamed, reordered, and the count replaced by a max: the sum's history carries over.
        FeatureComputer after = new FeatureComputer(spec("""
                {"features": [
                  {"name": "hi", "op": "max", "of": "amount", "by": "user", "last": 3},
                  {"name": "renamed_total", "op": "sum", "of": "amount", "by": "user", "last": 3}
                ]}"""), 0);

        assertThat(histories.fits(after.spec())).isFalse();
        KeyHistories carried = histories.forSpec(after.spec());

        assertThat(carried.fits(after.spec())).isTrue();
        assertThat(carried.events()).as("the sum's two events kept, the count's dropped").isEqualTo(2);
        assertThat(after.compute(event("u", 3000, 1), carried)).containsExactly(1, 8);
        assertThatThrownBy(() -> after.compute(event("u", 4000, 1), histories))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another spec");
    }

    @Test
    void anEventIsLateWhenItIsMoreThanTheLatenessBehindTheNewestOfItsKey() throws Exception {
        FeatureComputer computer = computer(1000, "sum");
        KeyHistories histories = computer.newHistories();
        assertThat(computer.isLate(event("u", 0, 1), histories)).as("a key without events").isFalse();
        computer.compute(event("u", 5000, 1), histories);

        assertThat(computer.isLate(event("u", 4000, 1), histories)).isFalse();
        assertThat(computer.isLate(event("u", 3999, 1), histories)).isTrue();
    }

    @Test
    void equalSpecsHaveEqualFingerprintsAndAnyChangeAnother() throws Exception {
        String spec = "{\"features\": [{\"name\": \"m\", \"op\": \"mean\", \"of\": \"amount\", \"by\": \"user\", \"last\": %d}]}";

        assertThat(spec(spec.formatted(10)).fingerprint()).isEqualTo(spec(spec.formatted(10)).fingerprint());
        assertThat(spec(spec.formatted(10)).fingerprint()).isNotEqualTo(spec(spec.formatted(11)).fingerprint());
    }

    @Test
    void eventsTheSpecCannotUseSayWhy() throws Exception {
        FeatureComputer computer = computer(0, "sum");

        assertThat(computer.problem(Event.of(JSON.readTree("{\"ts\": 1, \"user\": \"u\"}"), "ts")))
                .hasValueSatisfying(p -> assertThat(p).contains("'amount', which the event does not have"));
        assertThat(computer.problem(Event.of(JSON.readTree("{\"ts\": 1, \"user\": \"u\", \"amount\": \"ten\"}"), "ts")))
                .hasValueSatisfying(p -> assertThat(p).contains("has as \"ten\", not a number"));
        assertThat(computer.problem(Event.of(JSON.readTree("{\"ts\": 1, \"amount\": 1}"), "ts")))
                .hasValueSatisfying(p -> assertThat(p).contains("the features are by 'user', which the event does not have"));
        assertThatThrownBy(() -> Event.of(JSON.readTree("{\"amount\": 1}"), "ts")).hasMessageContaining("no time field 'ts'");
        assertThatThrownBy(() -> Event.of(JSON.readTree("{\"ts\": \"yesterday\"}"), "ts"))
                .hasMessageContaining("neither epoch milliseconds nor an ISO-8601 instant");
        assertThat(Event.of(JSON.readTree("{\"ts\": \"2026-12-06T10:00:00Z\"}"), "ts").timeMillis()).isEqualTo(1796551200000L);
    }

    /** Features of ops over the last 3 events of field amount, by user. */
    private static FeatureComputer computer(long lateness, String... ops) throws Exception {
        StringBuilder json = new StringBuilder("{\"features\": [");
        for (int i = 0; i < ops.length; i++) {
            json.append(i > 0 ? "," : "").append("{\"name\": \"f").append(i).append("\", \"op\": \"").append(ops[i])
                    .append("\"").append(ops[i].equals("count") ? "" : ", \"of\": \"amount\"").append(", \"by\": \"user\", \"last\": 3}");
        }
        return new FeatureComputer(spec(json.append("]}").toString()), lateness);
    }

    static FeatureSpec spec(String json) throws Exception {
        return FeatureSpec.fromJson(JSON.readTree(json));
    }

    private static Event event(String user, long time, double amount) {
        return Event.of(JSON.createObjectNode().put("user", user).put("ts", time).put("amount", amount), "ts");
    }
}
