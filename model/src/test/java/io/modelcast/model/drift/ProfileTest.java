package io.modelcast.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Training profiles: deciles as bins, the PSI against a hand-computed value, and the file section. */
class ProfileTest {

    @Test
    void psiMatchesTheHandComputedValue() {
        double[] expected = {0.25, 0.25, 0.25, 0.25};
        long[] actual = {10, 20, 30, 40};
        // (0.1-0.25)ln(0.1/0.25) + (0.2-0.25)ln(0.2/0.25) + (0.3-0.25)ln(0.3/0.25) + (0.4-0.25)ln(0.4/0.25)
        double byHand = 0.137444 + 0.011157 + 0.009116 + 0.070500;
        assertThat(Profile.psi(expected, actual)).isCloseTo(byHand, within(1e-5));
        assertThat(Profile.psi(expected, new long[] {5, 5, 5, 5})).isZero();
        assertThat(Profile.psi(expected, new long[] {0, 0, 0, 0})).isNaN();
        assertThat(Profile.psi(new double[] {0.5, 0.5, 0, 0}, new long[] {0, 0, 1, 1}))
                .as("empty bins count much, not infinitely").isFinite().isGreaterThan(10);
    }

    @Test
    void featureBinsAreTheTrainingDecilesAndHoldATenthEach() {
        int n = 1_000;
        float[] rows = new float[n * 2];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            rows[2 * i] = i;
            rows[2 * i + 1] = i % 2;
            scores[i] = i / (double) n;
        }
        Profile profile = Profile.of(rows, 2, scores);

        Profile.Bins first = profile.features().get(0);
        assertThat(first.edges()).containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900);
        assertThat(first.shares()).containsOnly(0.1);
        assertThat(first.bin(-5)).isZero();
        assertThat(first.bin(100)).isEqualTo(1);
        assertThat(first.bin(99.5)).isZero();
        assertThat(first.bin(1e9)).isEqualTo(9);
        assertThat(profile.features().get(1).shares()).as("a binary feature: two bins hold everything")
                .containsExactly(0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5);
        assertThat(profile.scoreShares()).containsOnly(0.1);
    }

    @Test
    void theProfileRoundTripsThroughTheModelFileAndAFileWithoutOneHasNone() throws Exception {
        ModelFileCodec codec = new ModelFileCodec();
        double[] tenths = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        Profile profile = new Profile(List.of(new Profile.Bins(new double[] {-4, -3, -2, -1, 0, 1, 2, 3, 4}, tenths)), tenths);
        ModelFile file = ModelFile.create(3, Instant.parse("2026-12-06T10:00:00Z"), new CustomModel(true)).withProfile(Optional.of(profile));

        assertThat(codec.decode("model-3.json", codec.encode(file)).profile()).contains(profile);
        ModelFile plain = ModelFile.create(4, Instant.parse("2026-12-06T10:00:00Z"), new CustomModel(true));
        assertThat(new String(codec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("profile");
        assertThat(ModelFile.promote(5, Instant.EPOCH, file).profile()).as("a promoted version keeps its data's profile")
                .contains(profile);
        String broken = new String(codec.encode(file), StandardCharsets.UTF_8).replaceFirst("\"shares\" : \\[ 0.1", "\"shares\" : [ \"x\"");
        assertThatThrownBy(() -> codec.decode("model-3.json", broken.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'profile' shares hold finite numbers");
    }
}
