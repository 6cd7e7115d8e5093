package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwapEffectsTest {

    private static final long MS = 1_000_000L;

    @Test
    void gapsAndLatenciesAreSplitBySwapAndTheStartUpIsForgotten() {
        SwapEffects effects = new SwapEffects();
        effects.seen(0, 0, -50 * MS);
        effects.reset();
        effects.seen(0, 10 * MS, 8 * MS);
        effects.swapStarts();
        effects.seen(0, 90 * MS, 20 * MS);
        effects.seen(1, 95 * MS, 21 * MS);

        SwapEffects.Summary summary = effects.summary();
        // Subtask 0's gap from its start-up result is kept; subtask 1's first result has no gap.
        assertThat(summary.gapsOtherwise().count()).isEqualTo(1);
        assertThat(summary.gapsOtherwise().maxMillis()).isEqualTo(10.0);
        assertThat(summary.gapsDuringSwaps().maxMillis()).isEqualTo(80.0);
        assertThat(effects.longestPerSwap()).containsExactly(80.0);
        assertThat(summary.latencyOtherwise().maxMillis()).isEqualTo(2.0);
        assertThat(summary.latencyDuringSwaps().count()).isEqualTo(2);
        assertThat(summary.latencyDuringSwaps().maxMillis()).isEqualTo(74.0);
    }

    @Test
    void nothingSeenIsZeroesNotAnError() {
        assertThat(new SwapEffects().summary().latencyDuringSwaps()).isEqualTo(new SwapEffects.Figures(0, 0, 0, 0));
    }
}
