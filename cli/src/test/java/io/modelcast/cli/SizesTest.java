package io.modelcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"65536, 65536", "512KiB, 524288", "64MiB, 67108864", "1GiB, 1073741824", "64mib, 67108864", "7B, 7"})
    void parsesBytesWithOrWithoutABinaryUnit(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "MiB", "1.5MiB", "-1", "64MB", "lots"})
    void rejectsAnythingElseWithAnExample(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid size '" + text + "'")
                .hasMessageContaining("64MiB");
    }
}
