package io.modelcast.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.ModelProbe;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

    static LogisticModel logistic(int features, long seed) {
        Random random = new Random(seed);
        double[] weights = new double[features];
        for (int j = 0; j < features; j++) {
            weights[j] = random.nextGaussian();
        }
        return new LogisticModel(weights, random.nextGaussian(), 0.5, null);
    }

    @Test
    void theOnnxExportOfALogisticModelScoresAsTheJavaModelDoesWithin1e5On10000Rows() throws Exception {
        LogisticModel java = logistic(8, 7);
        int rows = 10_000;
        float[] features = new float[rows * 8];
        Random random = new Random(11);
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) (random.nextGaussian() * 3);
        }
        double[] expected = new double[rows];
        java.score(features, rows, expected);
        double[] actual = new double[rows];
        try (OnnxModel onnx = new OnnxModel(LogisticOnnxExport.export(java), 0.5, null, null)) {
            assertThat(onnx.featureCount()).isEqualTo(8);
            assertThat(onnx.inputName()).isEqualTo(LogisticOnnxExport.INPUT);
            assertThat(onnx.outputName()).isEqualTo(LogisticOnnxExport.OUTPUT);
            onnx.score(features, rows, actual);
        }
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    void anOnnxModelFileRoundTripsThroughTheCodecAndPassesTheProbe() throws Exception {
        ModelFileCodec codec = new ModelFileCodec();
        try (OnnxModel model = new OnnxModel(LogisticOnnxExport.export(logistic(3, 1)), 0.7, LogisticOnnxExport.OUTPUT, null)) {
            byte[] file = codec.encode(ModelFile.create(4, Instant.parse("2026-11-21T00:00:00Z"), model));
            ModelFile decoded = codec.decode("model-4.json", file);
            try (OnnxModel back = (OnnxModel) decoded.model()) {
                assertThat(back).isEqualTo(model);
                assertThat(back.threshold()).isEqualTo(0.7);
                ModelProbe.check(back);
                float[] row = {1, -2, 0.5f};
                assertThat(back.score(row)).isCloseTo(model.score(row), within(1e-7));
            }
        }
    }

    @Test
    void bytesThatAreNotOnnxAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new OnnxModel("not a model at all".getBytes(), 0.5, null, null))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("is not a model ONNX Runtime can load");
    }

    @Test
    void aModelWhoseInputIsNotABatchOfVectorsIsRejected() {
        byte[] threeDimensional = new OnnxGraph("images")
                .input("pixels", OnnxGraph.FLOAT, "batch", 4, 4)
                .node("Identity", List.of("pixels"), List.of("out"))
                .output("out", OnnxGraph.FLOAT, "batch", 4, 4)
                .toByteArray();
        assertThatThrownBy(() -> new OnnxModel(threeDimensional, 0.5, null, null))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("has input 'pixels' of type FLOAT and shape [-1, 4, 4]")
                .hasMessageContaining("[batch, features]");
    }

    @Test
    void aNamedOutputTheModelLacksIsRejected() {
        byte[] onnx = LogisticOnnxExport.export(logistic(2, 3));
        assertThatThrownBy(() -> new OnnxModel(onnx, 0.5, "probabilities", null))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("names output 'probabilities', which the model does not have (its outputs: [probability])");
    }

    @Test
    void aModelWithoutAFloatOutputIsRejected() {
        byte[] onnx = new OnnxGraph("labels_only")
                .input("x", OnnxGraph.FLOAT, "batch", 2)
                .node("ArgMax", List.of("x"), List.of("label"))
                .output("label", OnnxGraph.INT64, "batch", 1)
                .toByteArray();
        assertThatThrownBy(() -> new OnnxModel(onnx, 0.5, null, null))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("has no float tensor output");
    }

    @Test
    void aClosedModelRefusesToScoreAndReleasesItsSession() throws Exception {
        long before = OnnxModel.openSessions();
        OnnxModel model = new OnnxModel(LogisticOnnxExport.export(logistic(2, 5)), 0.5, null, null);
        assertThat(OnnxModel.openSessions()).isEqualTo(before + 1);
        model.close();
        model.close();
        assertThat(OnnxModel.openSessions()).isEqualTo(before);
        assertThatThrownBy(() -> model.score(new float[] {1, 2}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after it was closed");
    }
}
