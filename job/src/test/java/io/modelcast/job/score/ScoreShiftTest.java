package io.modelcast.job.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The population stability index of two score histograms. */
class ScoreShiftTest {

    @Test
    void theSameDistributionHasNoShift() {
        assertThat(ScoreShift.psi(new long[] {10, 20, 30, 40}, new long[] {1, 2, 3, 4})).isCloseTo(0, within(1e-12));
    }

    @Test
    void aKnownShiftHasItsTextbookValue() {
        // Shares 0.5/0.5 against 0.9/0.1: (0.9-0.5)ln(1.8) + (0.1-0.5)ln(0.2) = 0.2351 + 0.6438
        assertThat(ScoreShift.psi(new long[] {50, 50}, new long[] {90, 10})).isCloseTo(0.8789, within(1e-4));
    }

    @Test
    void anEmptyBinStaysFiniteAndNoScoresIsNoFigure() {
        assertThat(ScoreShift.psi(new long[] {100, 0}, new long[] {50, 50})).isFinite().isGreaterThan(1);
        assertThat(ScoreShift.psi(new long[] {0, 0}, new long[] {5, 5})).isNaN();
    }
}
