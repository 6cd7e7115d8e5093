package io.modelcast.model.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fitter's {@code --rollout} values, and what a rollout may hold. */
class RolloutSpecTest {

    private static final Rollout.Policy POLICY = new Rollout.Policy(1000, 0.01, 0.2);

    @Test
    void shadowAndCanaryParse() {
        assertThat(RolloutSpec.parse("shadow")).isEqualTo(new RolloutSpec(Rollout.Mode.SHADOW, 100));
        assertThat(RolloutSpec.parse("canary:10")).isEqualTo(new RolloutSpec(Rollout.Mode.CANARY, 10));
        assertThat(RolloutSpec.parse("Canary:2.5%")).isEqualTo(new RolloutSpec(Rollout.Mode.CANARY, 2.5));
        assertThat(RolloutSpec.parse("canary:100").against(4, POLICY).describe()).isEqualTo("canary:100");
        assertThat(RolloutSpec.parse("canary:12.50").against(4, POLICY).describe()).isEqualTo("canary:12.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"canary:0", "canary:-5", "canary:100.1"})
    void aCanaryPercentageOutsideZeroToHundredIsRefused(String value) {
        assertThatThrownBy(() -> RolloutSpec.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above 0 and at most 100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"canary", "canary:ten", "canary:NaN", "blue-green", ""})
    void anythingElseSaysWhatIsAccepted(String value) {
        assertThatThrownBy(() -> RolloutSpec.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(".*(shadow or canary:PERCENT|must be a number).*");
    }

    @Test
    void aPolicyKeepsItsBounds() {
        assertThatThrownBy(() -> new Rollout.Policy(0, 0.01, 0.2)).hasMessageContaining("promoteAfter");
        assertThatThrownBy(() -> new Rollout.Policy(10, 1.5, 0.2)).hasMessageContaining("maxErrorRate");
        assertThatThrownBy(() -> new Rollout.Policy(10, 0.01, -1)).hasMessageContaining("maxScoreShift");
        assertThatThrownBy(() -> Rollout.canary(0, 3, POLICY)).hasMessageContaining("above 0");
    }
}
