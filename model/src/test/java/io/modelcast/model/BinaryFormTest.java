package io.modelcast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.remote.RemoteModel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;

class BinaryFormTest {

    private static Model roundTrip(Model model) throws IOException {
        return BinaryForm.read(model.typeName(), BinaryForm.of(model));
    }

    @Test
    void everyBuiltInTypeReadsBackWhatItWrote() throws Exception {
        assertThat(roundTrip(new CustomModel(true))).isEqualTo(new CustomModel(true));
        assertThat(roundTrip(new CustomModel(false))).isEqualTo(new CustomModel(false));
        LogisticModel logistic = new LogisticModel(new double[] {0.5, -1.25, 3}, 0.1, 0.7, null);
        assertThat(roundTrip(logistic)).isEqualTo(logistic);
        RemoteModel remote = new RemoteModel(URI.create("http://127.0.0.1:8501"), "scorer", OptionalLong.of(3),
                Duration.ofMillis(250), 4, RemoteModel.OnFailure.FALLBACK, OptionalLong.of(7), 0.25);
        assertThat(roundTrip(remote)).isEqualTo(remote);
        RemoteModel plain = new RemoteModel(URI.create("http://127.0.0.1:8501"), "scorer", OptionalLong.empty(),
                Duration.ofMillis(1000), 0, RemoteModel.OnFailure.FAIL, OptionalLong.empty(), 0.5);
        assertThat(roundTrip(plain)).isEqualTo(plain);
    }

    @Test
    void anOnnxModelTravelsAsItsRawGraphAndScoresTheSame() throws Exception {
        LogisticModel logistic = new LogisticModel(new double[] {0.5, -1.25}, 0.1, 0.5, null);
        byte[] graph = LogisticOnnxExport.export(logistic);
        try (OnnxModel onnx = new OnnxModel(graph, 0.5, null, null)) {
            byte[] binary = BinaryForm.of(onnx);
            // The graph's bytes as they are, not base64: the form is barely larger than the graph.
            assertThat(binary.length).isLessThan(graph.length + 32);
            try (OnnxModel back = (OnnxModel) BinaryForm.read(OnnxModel.TYPE, binary)) {
                assertThat(back.onnx()).isEqualTo(graph);
                double[] expected = new double[1];
                double[] actual = new double[1];
                onnx.score(new float[] {1, 2}, 1, expected);
                back.score(new float[] {1, 2}, 1, actual);
                assertThat(actual).isEqualTo(expected);
            }
        }
    }

    @Test
    void bytesOfAnotherFormatOrCutShortAreRefused() {
        byte[] binary = BinaryForm.of(new LogisticModel(new double[] {1, 2}, 0, 0.5, null));
        byte[] otherFormat = binary.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> BinaryForm.read(LogisticModel.TYPE, otherFormat))
                .hasMessageContaining("binary format 9");
        assertThatThrownBy(() -> BinaryForm.read(LogisticModel.TYPE, Arrays.copyOf(binary, binary.length - 3)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BinaryForm.read("nonesuch", binary)).hasMessageContaining("unknown model type nonesuch");
    }
}
