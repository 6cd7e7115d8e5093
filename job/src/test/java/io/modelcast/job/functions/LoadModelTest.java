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
import io.modelcast.model.file.ModelFileCodec;

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
            for (BadModelFile bad : BadModelFile.values()) {
                harness.processElement(ModelFileBytes.read(bad.name(), bad.bytes(2)), 0);
            }
            harness.processElement(ModelFileBytes.unreadable("gone.json", "java.io.FileNotFoundException: gone.json"), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            List<String> expected = new ArrayList<>();
            for (BadModelFile bad : BadModelFile.values()) {
                expected.add(bad.name() + " " + bad.reason());
            }
            expected.add("gone.json UNREADABLE");
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
    void theSameFileAgainIsIgnoredButANewFileWithAnOldVersionIsRejected() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            harness.processElement(file(5, true), 0);
            harness.processElement(ModelFileBytes.read("models/model-6.json", fileBytes(5, false)), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version).containsExactly(5L);
            assertThat(rejected(harness)).extracting(r -> r.file + " " + r.reason)
                    .containsExactly("models/model-6.json " + LoadModel.NOT_NEWER);
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
