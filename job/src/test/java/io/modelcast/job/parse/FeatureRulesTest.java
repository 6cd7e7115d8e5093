package io.modelcast.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.InputFormat;
import io.modelcast.job.parse.InputRules.InvalidInputException;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.InputBatchSerializer;
import io.modelcast.job.records.InputRecord;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FeatureRulesTest {

    private final FeatureRules rules = new FeatureRules();

    @Test
    void csvIsCommaSeparatedFiniteNumbers() throws Exception {
        rules.parse(" 0.5, -1.25,3 ", InputFormat.CSV);
        assertThat(rules.features()).containsExactly(0.5f, -1.25f, 3f);
        assertThat(rules.id()).isNull();
    }

    @Test
    void anEventIsAnyJsonObjectWithItsIdAndModelReadAndItsFeaturesLeftToTheSpec() throws Exception {
        rules.parse("{\"id\": \"e1\", \"model\": \"fraud\", \"ts\": 1, \"features\": \"not a vector here\"}", InputFormat.EVENTS);
        assertThat(rules.features()).isEmpty();
        assertThat(rules.id()).isEqualTo("e1");
        assertThat(rules.model()).isEqualTo("fraud");
        assertThatThrownBy(() -> rules.parse("[1, 2]", InputFormat.EVENTS)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("not a JSON object like {\"ts\"");
        assertThatThrownBy(() -> rules.parse("{\"ts\": 1", InputFormat.EVENTS)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void jsonHasAFeaturesArrayAndAnOptionalId() throws Exception {
        rules.parse("{\"id\": 17, \"features\": [1, 2.5], \"note\": {\"x\": [1]}}", InputFormat.JSON);
        assertThat(rules.features()).containsExactly(1f, 2.5f);
        assertThat(rules.id()).isEqualTo("17");
    }

    @Test
    void badVectorsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> rules.parse("1,x,3", InputFormat.CSV)).isInstanceOf(InvalidInputException.class)
                .hasMessage("feature 2 is not a number: 'x'");
        assertThatThrownBy(() -> rules.parse("1,,3", InputFormat.CSV)).hasMessage("feature 2 is empty");
        assertThatThrownBy(() -> rules.parse("1e39", InputFormat.CSV)).hasMessage("feature 1 is not a finite 32-bit number");
        assertThatThrownBy(() -> rules.parse("{\"id\":\"a\"}", InputFormat.JSON)).hasMessage("no \"features\" array");
        assertThatThrownBy(() -> rules.parse("{\"features\":[1,\"2\"]}", InputFormat.JSON)).hasMessage("feature 2 is not a number");
        assertThatThrownBy(() -> rules.parse("[1,2]", InputFormat.JSON)).hasMessageStartingWith("not a JSON object");
        assertThatThrownBy(() -> rules.parse("{\"features\":[1]} x", InputFormat.JSON)).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void featureBatchesKeepEachVectorAndIdThroughTheSerializer() throws Exception {
        InputBatchBuilder builder = new InputBatchBuilder(2, 16);
        builder.add("1,2".getBytes(), 0, 3, 0, null);
        rules.parse("1,2", InputFormat.CSV);
        rules.addTo(builder);
        builder.add(InputRecord.features("{…}", new float[] {3, 4, 5}, "r-2", null));
        InputBatch batch = builder.build();

        DataOutputSerializer out = new DataOutputSerializer(64);
        InputBatchSerializer.INSTANCE.serialize(batch, out);
        InputBatch back = InputBatchSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.hasFeatures()).isTrue();
        assertThat(back.features(0)).containsExactly(1f, 2f);
        assertThat(back.features(1)).containsExactly(3f, 4f, 5f);
        assertThat(back.id(0)).isNull();
        assertThat(back.id(1)).isEqualTo("r-2");
        assertThat(back).isEqualTo(batch);
    }
}
