package io.modelcast.job.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.TestModels;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.Model;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.ModelName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.time.Duration;

/**
 * A kind of model the scorer has never heard of is scored by implementing {@link LiveModel} alone:
 * no change to the scorer, its emitter or {@link LiveModels}' mapping of the built-in kinds.
 */
class NewLiveModelKindTest {

    /** A test-only kind: even inputs get their half, odd ones are rejected. */
    record Halving(String label) implements Model, LiveModel {
        static final String TYPE = "test-halving";

        @Override
        public String typeName() {
            return TYPE;
        }

        @Override
        public void score(InputBatch batch, ScoreSink sink) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.value(i) % 2 == 0) {
                    sink.output(i, label + (batch.value(i) / 2));
                } else {
                    sink.rejected(i, "odd: " + batch.value(i));
                }
            }
        }

        @Override
        public void close() {}
    }

    /** Its model type, for the registry the binary form is read through. */
    static final class HalvingType implements ModelType<Halving> {
        @Override
        public String name() {
            return Halving.TYPE;
        }

        @Override
        public Class<Halving> modelClass() {
            return Halving.class;
        }

        @Override
        public Halving fromParameters(JsonNode parameters) {
            return new Halving(parameters.path("label").asText());
        }

        @Override
        public ObjectNode toParameters(Halving model) {
            return JsonNodeFactory.instance.objectNode().put("label", model.label());
        }

        @Override
        public void writeBinary(Halving model, DataOutput out) throws IOException {
            out.writeUTF(model.label());
        }

        @Override
        public Halving readBinary(DataInput in) throws IOException {
            return new Halving(in.readUTF());
        }
    }

    @Test
    void aModelThatImplementsLiveModelIsScoredTheWayItSays() throws Exception {
        ModelTypes.register(new HalvingType());
        ValidatedModel update = TestModels.update(4, System.currentTimeMillis(), new Halving("half="));
        try (BroadcastOperatorTestHarness<InputBatch, ValidatedModel, List<Result>> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new ScoreWithLiveModels(100, ModelFileCodec.DEFAULT_MAX_BYTES, ModelAgeLimit.none(), 64, ModelName.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(1)), Descriptors.MODELS)) {
            harness.processBroadcastElement(update, 0);
            harness.processElement(InputBatch.of(List.of(new InputRecord("8", 8), new InputRecord("3", 3))), 0);

            assertThat(ScorerResults.of(harness)).singleElement().satisfies(r -> {
                assertThat(r.input()).isEqualTo("8");
                assertThat(r.output()).isEqualTo("half=4");
                assertThat(r.modelVersion()).isEqualTo(4);
            });
            assertThat(harness.getSideOutput(Descriptors.BAD_RECORDS)).extracting(StreamRecord::getValue)
                    .extracting(r -> r.reason).containsExactly("odd: 3");
        }
    }
}
