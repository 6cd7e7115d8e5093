package io.modelcast.job.functions;

import static io.modelcast.job.TestModels.file;
import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.BadModelFile;
import io.modelcast.job.Descriptors;
import io.modelcast.job.TestModels;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.model.CustomModel;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.file.ModelFileCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class LoadModelTest {

    @Test
    void aValidFileBecomesAnUpdateCarryingItsBytes() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(3, true), 0);

            assertThat(harness.extractOutputValues()).containsExactly(TestModels.update(3, true));
        }
    }

    @Test
    void eachBadFileIsRejectedWithItsReasonAndNothingIsBroadcast() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(BadModelFile.SIZE_LIMIT)) {
            List<String> expected = new ArrayList<>();
            long version = 2;
            for (BadModelFile bad : BadModelFile.values()) {
                String path = "models/model-" + version + ".json";
                harness.processElement(ModelFileBytes.read(path, bad.bytes(version++)), 0);
                expected.add(path + " " + bad.reason());
            }
            harness.processElement(ModelFileBytes.unreadable("gone.json", "java.io.FileNotFoundException: gone.json"), 0);
            expected.add("gone.json UNREADABLE");

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).extracting(r -> r.file + " " + r.reason).containsExactlyElementsOf(expected);
            assertThat(rejected(harness)).allSatisfy(r -> assertThat(r.message).contains(r.file));
        }
    }

    @Test
    void aModelThatFailsItsProbeIsRejectedNamingTheInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(ModelFileBytes.read("models/model-9.json", BadModelFile.PROBE_FAILS.bytes(9)), 0);

            assertThat(rejected(harness)).singleElement().satisfies(r -> assertThat(r.message)
                    .contains("model-9.json", "version 9", "probe input -7", "cannot score -7"));
        }
    }

    @Test
    void aFileOfTheCurrentVersionAgainIsRejectedAsNotNewer() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            // model-5.json deleted and copied back: the source hands it out again, as reappeared.
            harness.processElement(file(5, true), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version).containsExactly(5L);
            assertThat(rejected(harness)).extracting(r -> r.file + " " + r.reason)
                    .containsExactly("models/model-5.json " + LoadModel.NOT_NEWER);
        }
    }

    @Test
    void aModelTypeThatThrowsIsARejectionNotAFailure() throws Exception {
        ModelTypes.register(new ThrowingType());
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(fileBytes(3, true));
        byte[] file = new ObjectMapper().writeValueAsBytes(json.put("type", ThrowingType.NAME));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(ModelFileBytes.read("models/model-3.json", file), 0);

            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo("INVALID_PARAMETERS");
                assertThat(r.message).contains("model-3.json", "IllegalStateException", "broken type");
            });
        }
    }

    /** A model type whose own code throws on any parameters. */
    private static final class ThrowingType implements ModelType<CustomModel> {
        static final String NAME = "test-throwing-type";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Class<CustomModel> modelClass() {
            return CustomModel.class;
        }

        @Override
        public CustomModel fromParameters(JsonNode parameters) {
            throw new IllegalStateException("broken type");
        }

        @Override
        public ObjectNode toParameters(CustomModel model) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aVersionNotNewerThanOneAlreadyLoadedIsRejected() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            harness.processElement(file(4, false), 0);
            harness.processElement(file(6, false), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version).containsExactly(5L, 6L);
            assertThat(rejected(harness))
                    .extracting(r -> r.reason)
                    .containsExactly(LoadModel.NOT_NEWER);
            assertThat(rejected(harness).get(0).message).contains("has version 4, not newer than version 5");
        }
    }

    @Test
    void theHighestLoadedVersionSurvivesARestore() throws Exception {
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(7, true), 0);
            state = harness.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> restored =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES)))) {
            restored.initializeState(state);
            restored.open();
            restored.processElement(file(6, false), 0);
            restored.processElement(file(8, false), 0);

            assertThat(restored.extractOutputValues()).extracting(u -> u.version).containsExactly(8L);
        }
    }

    private static List<RejectedModel> rejected(OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness) {
        return harness.getSideOutput(Descriptors.REJECTED_MODELS).stream().map(StreamRecord::getValue).toList();
    }

    private static OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness(long maxBytes) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(maxBytes));
    }
}
