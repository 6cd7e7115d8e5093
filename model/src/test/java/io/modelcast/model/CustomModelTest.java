package io.modelcast.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomModelTest {

    @ParameterizedTest(name = "transform({0}) cloned = {1}, not cloned = {2}")
    @CsvSource({
        "7, 070707, 07",
        "0, 000000, 00",
        "9, 090909, 09",
        "10, 101010, 10",
        "19, 191919, 19",
        "123, 123123123, 123",
        // Python's zfill keeps the sign first and counts it: "-7".zfill(2) == "-7".
        "-7, -7-7-7, -7",
        "-123, -123-123-123, -123",
        "9223372036854775807, 922337203685477580792233720368547758079223372036854775807, 9223372036854775807"
    })
    void padsToTwoDigitsAndRepeatsThreeTimesOnlyWhenCloned(
            long input, String cloned, String notCloned) {
        assertThat(new CustomModel(true).transform(input)).isEqualTo(cloned);
        assertThat(new CustomModel(false).transform(input)).isEqualTo(notCloned);
    }

    @Test
    void flippingTogglesIsClonedAndNothingElse() {
        assertThat(new CustomModel(true).flipped()).isEqualTo(new CustomModel(false));
        assertThat(new CustomModel(false).flipped()).isEqualTo(new CustomModel(true));
    }
}
