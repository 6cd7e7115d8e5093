package io.modelcast.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.KeyHistories;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Keyed feature histories in state: read back alike, copied without sharing, with a snapshot that says its format. */
class KeyHistoriesSerializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureComputer COMPUTER = new FeatureComputer(FeatureSpecs.PURCHASES, 0);

    @Test
    void historiesReadBackGoOnAsTheOriginalAndACopySharesNothing() throws Exception {
        KeyHistories histories = COMPUTER.newHistories();
        for (int i = 0; i < 12; i++) {
            COMPUTER.compute(event(i), histories);
        }
        DataOutputSerializer out = new DataOutputSerializer(256);
        KeyHistoriesSerializer.INSTANCE.serialize(histories, out);
        KeyHistories read = KeyHistoriesSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        KeyHistories copy = KeyHistoriesSerializer.INSTANCE.copy(histories);
        int held = histories.events();

        double[] original = COMPUTER.compute(event(12), histories);
        assertThat(COMPUTER.compute(event(12), COMPUTER.ready(read))).containsExactly(original);
        assertThat(copy.events()).as("the copy did not see event 12").isEqualTo(held);
        assertThat(histories.newestMillis()).isEqualTo(12_000);
        assertThat(copy.newestMillis()).isEqualTo(11_000);
        assertThat(COMPUTER.compute(event(12), copy)).containsExactly(original);
        assertThat(KeyHistoriesSerializer.INSTANCE.isImmutableType()).isFalse();
        assertThat(new KeyHistoriesSerializer.Snapshot().restoreSerializer()).isSameAs(KeyHistoriesSerializer.INSTANCE);
    }

    private static Event event(int i) throws Exception {
        return Event.of(JSON.readTree(FeatureSpecs.purchase(i, 1_000L * i, 1, i + 1)), "ts");
    }
}
