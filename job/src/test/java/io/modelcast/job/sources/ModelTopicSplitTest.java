package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** The model topic source's checkpointed forms: its split (the offsets) and its enumerator's state. */
class ModelTopicSplitTest {

    /** Version 1 of a split of topic "models", caught up, partitions 0 → 17 and 2 → 5, as this build writes it. */
    private static final String VERSION_1 = "00066d6f64656c730100000002000000000000000000000011000000020000000000000005";

    @Test
    void aSplitRoundTripsAndVersionOneStaysReadable() throws Exception {
        ModelTopicSplit split = new ModelTopicSplit("models", Map.of(2, 5L, 0, 17L), true);
        ModelTopicSplit.Serializer serializer = new ModelTopicSplit.Serializer();

        assertThat(HexFormat.of().formatHex(serializer.serialize(split))).isEqualTo(VERSION_1);
        assertThat(serializer.deserialize(1, HexFormat.of().parseHex(VERSION_1))).isEqualTo(split);
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown model topic split version 2");
    }

    @Test
    void theEnumeratorsStateRoundTripsWithAndWithoutAnUnassignedSplit() throws Exception {
        ModelTopicEnumerator.StateSerializer serializer = new ModelTopicEnumerator.StateSerializer();
        for (Optional<ModelTopicSplit> split : java.util.List.of(Optional.<ModelTopicSplit>empty(),
                Optional.of(ModelTopicSplit.fromTheBeginning("models")))) {
            ModelTopicEnumerator.Unassigned state = new ModelTopicEnumerator.Unassigned(split);
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        }
    }
}
