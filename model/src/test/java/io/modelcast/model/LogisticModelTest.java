package io.modelcast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LogisticModelTest {

    @Test
    void scoresTheSigmoidOfTheWeightedSumAndLabelsAtTheThreshold() {
        LogisticModel model = new LogisticModel(new double[] {2, -1}, 0.5, 0.6, null);
        double z = 2 * 1.5 - 1 * 4 + 0.5;
        assertThat(model.score(new float[] {1.5f, 4f})).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
        assertThat(model.label(0.59)).isZero();
        assertThat(model.label(0.6)).isOne();
        assertThat(LogisticModel.sigmoid(-800)).isEqualTo(0.0);
        assertThat(LogisticModel.sigmoid(800)).isEqualTo(1.0);
    }

    @Test
    void aLogisticModelFileRoundTripsWithItsEvaluation() throws Exception {
        Evaluation evaluation = new Evaluation(200, 0.9, 0.25, 0.95);
        LogisticModel model = new LogisticModel(new double[] {0.1, 0.2, -0.3}, -1, 0.5, evaluation);
        ModelFileCodec codec = new ModelFileCodec();
        ModelFile decoded = codec.decode("model-2.json", codec.encode(ModelFile.create(2, Instant.now(), model)));
        assertThat(decoded.model()).isEqualTo(model);
        assertThat(((LogisticModel) decoded.model()).evaluation()).isEqualTo(evaluation);
    }

    @Test
    void aFeatureCountThatDisagreesWithTheWeightsIsRejected() {
        String parameters = "{\"bias\":0.0,\"featureCount\":3,\"weights\":[1.0,2.0]}";
        String json = "{\"formatVersion\":1,\"type\":\"logistic\",\"version\":1,\"createdAt\":\"2026-11-21T00:00:00Z\","
                + "\"parameters\":" + parameters + ",\"parametersSha256\":\"" + sha256(parameters) + "\"}";
        assertThatThrownBy(() -> new ModelFileCodec().decode("model-1.json", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("featureCount")
                .hasMessageContaining("must equal the number of weights (2)");
    }

    @Test
    void featureModelsPassTheProbeOnlyWithProbabilities() throws Exception {
        ModelProbe.check(new LogisticModel(new double[] {1e6}, 0, 0.5, null));
        FeatureModel broken = new FeatureModel() {
            public int featureCount() { return 1; }
            public double threshold() { return 0.5; }
            public void score(float[] features, int rows, double[] scores) {
                Arrays.fill(scores, 0, rows, Double.NaN);
            }
            public String typeName() { return "broken"; }
        };
        assertThatThrownBy(() -> ModelProbe.check(broken))
                .hasMessageContaining("scores the probe vector of all 0.0 as NaN, not a probability between 0 and 1");
    }

    @Test
    void aucCountsTiesAsHalfAndAccuracyUsesTheThreshold() {
        Evaluation e = Evaluation.of(new double[] {0.9, 0.8, 0.8, 0.1}, new int[] {1, 1, 0, 0}, 0.5);
        // Pairs (positive, negative): (0.9,0.8) 1, (0.9,0.1) 1, (0.8,0.8) ½, (0.8,0.1) 1 → 3.5 / 4.
        assertThat(e.auc()).isEqualTo(0.875);
        assertThat(e.accuracy()).isEqualTo(0.75);
        assertThat(e.beats(new Evaluation(4, 1, e.logLoss() + 0.01, 1))).isTrue();
    }

    private static String sha256(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
