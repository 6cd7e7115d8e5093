package io.modelcast.job.functions;

import static io.modelcast.job.TestModels.file;
import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        byte[] valid = fileBytes(2, true);
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(valid.length + 16)) {
            harness.processElement(bytes("garbage.json", "garbage"), 0);
            harness.processElement(bytes("half.json", Arrays.copyOf(valid, valid.length / 2)), 0);
            harness.processElement(bytes("empty.json", new byte[0]), 0);
            harness.processElement(bytes("big.json", Arrays.copyOf(valid, valid.length + 17)), 0);
            harness.processElement(bytes("tampered.json",
                    new String(valid, StandardCharsets.UTF_8).replace("true", "false")), 0);
            harness.processElement(ModelFileBytes.unreadable("gone.json", "java.io.FileNotFoundException: gone.json"), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness))
                    .extracting(r -> r.file + " " + r.reason)
                    .containsExactly(
                            "garbage.json BAD_JSON",
                            "half.json BAD_JSON",
                            "empty.json EMPTY",
                            "big.json TOO_LARGE",
                            "tampered.json CHECKSUM_MISMATCH",
                            "gone.json UNREADABLE");
            assertThat(rejected(harness)).allSatisfy(r -> assertThat(r.message).contains(r.file));
        }
    }

    @Test
    void aVersionNotNewerThanOneAlreadyLoadedIsRejected() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            harness.processElement(file(4, false), 0);
            harness.processElement(file(5, false), 0);
            harness.processElement(file(6, false), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version).containsExactly(5L, 6L);
            assertThat(rejected(harness))
                    .extracting(r -> r.reason)
                    .containsExactly(LoadModel.NOT_NEWER, LoadModel.NOT_NEWER);
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

    private static ModelFileBytes bytes(String path, String content) {
        return bytes(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static ModelFileBytes bytes(String path, byte[] content) {
        return ModelFileBytes.read(path, content);
    }

    private static List<RejectedModel> rejected(OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness) {
        return harness.getSideOutput(Descriptors.REJECTED_MODELS).stream().map(StreamRecord::getValue).toList();
    }

    private static OneInputStreamOperatorTestHarness<ModelFileBytes, ModelUpdate> harness(long maxBytes) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(maxBytes));
    }
}
