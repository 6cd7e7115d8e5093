package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.bench.Stats.Distribution;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentilesAreNearestRankOverTheSortedValues() {
        List<Integer> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add(i);
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 90)).isEqualTo(90.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.max(hundred)).isEqualTo(100.0);
        assertThat(Stats.percentile(hundred, 0)).isEqualTo(1.0);
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheLowerMiddle() {
        assertThat(Stats.median(List.of(9.0, 1.0, 5.0))).isEqualTo(5.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void aDistributionOfFewValuesHasItsHighPercentilesAtTheMaximum() {
        Distribution d = Distribution.of(List.of(120.0, 80.0, 100.0));
        assertThat(d).isEqualTo(new Distribution(100.0, 120.0, 120.0, 120.0, 3));
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
