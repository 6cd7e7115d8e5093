package io.modelcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "5s, 5000",
        "1m, 60000",
        "2h, 7200000",
        "1d, 86400000",
        "1m30s, 90000",
        "0s, 0",
        "' 10s ', 10000"
    })
    void parsesNumbersWithUnits(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "5", "s", "5x", "-5s", "1.5s", "5 s", "PT5S", "5s!"})
    void rejectsAnythingElseWithAnExample(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration '" + text + "'")
                .hasMessageContaining("for example 500ms, 5s, 1m");
    }

    @ParameterizedTest(name = "{0} round trips")
    @ValueSource(strings = {"0s", "500ms", "1500ms", "5s", "1m", "90s", "2h", "1d"})
    void formatsInTheLargestExactUnit(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
}
