package io.modelcast.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/** The examples of RFC 8785 itself, and properties of the number form over many doubles. */
class JsonCanonicalizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRfcsExampleCanonicalizesAsTheRfcSays() throws Exception {
        // RFC 8785, section 3.2.2.
        String input = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + " \"literals\": [null, true, false]}";

        assertThat(JsonCanonicalization.canonicalize(JSON.readTree(input)))
                .isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void membersAreSortedByUtf16CodeUnits() throws Exception {
        // RFC 8785, section 3.2.3: the emoji's high surrogate sorts before U+FB33.
        String input = "{\"\\u20ac\": 1, \"\\r\": 2, \"\\ufb33\": 3, \"1\": 4, \"\\ud83d\\ude00\": 5, \"\\u0080\": 6,"
                + " \"\\u00f6\": 7}";

        assertThat(JsonCanonicalization.canonicalize(JSON.readTree(input)))
                .isEqualTo("{\"\\r\":2,\"1\":4,\"\u0080\":6,\"\u00f6\":7,\"\u20ac\":1,\"\ud83d\ude00\":5,\"\ufb33\":3}");
    }

    @Test
    void numbersAreWrittenAsTheRfcsTableSays() {
        // RFC 8785, appendix B: IEEE-754 bit patterns and their canonical text.
        String[][] table = {
            {"0000000000000000", "0"}, {"8000000000000000", "0"}, {"0000000000000001", "5e-324"},
            {"8000000000000001", "-5e-324"}, {"7fefffffffffffff", "1.7976931348623157e+308"},
            {"ffefffffffffffff", "-1.7976931348623157e+308"}, {"4340000000000000", "9007199254740992"},
            {"c340000000000000", "-9007199254740992"}, {"4430000000000000", "295147905179352830000"},
            {"44b52d02c7e14af5", "9.999999999999997e+22"}, {"44b52d02c7e14af6", "1e+23"},
            {"44b52d02c7e14af7", "1.0000000000000001e+23"}, {"444b1ae4d6e2ef4e", "999999999999999700000"},
            {"444b1ae4d6e2ef4f", "999999999999999900000"}, {"444b1ae4d6e2ef50", "1e+21"},
            {"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"}, {"3eb0c6f7a0b5ed8d", "0.000001"},
            {"41b3de4355555553", "333333333.3333332"}, {"41b3de4355555554", "333333333.33333325"},
            {"41b3de4355555555", "333333333.3333333"}, {"41b3de4355555556", "333333333.3333334"},
            {"41b3de4355555557", "333333333.33333343"}, {"becbf647612f3696", "-0.0000033333333333333333"},
            {"43143ff3c1cb0959", "1424953923781206.2"},
        };
        for (String[] row : table) {
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
            assertThat(JsonCanonicalization.number(value)).as(row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void numbersJavaWritesDifferentlyTakeTheirEcmaScriptForm() {
        assertThat(JsonCanonicalization.number(0.0005)).isEqualTo("0.0005");
        assertThat(JsonCanonicalization.number(1e-7)).isEqualTo("1e-7");
        assertThat(JsonCanonicalization.number(3.0)).isEqualTo("3");
        assertThat(JsonCanonicalization.number(-2.5e-5)).isEqualTo("-0.000025");
        assertThat(JsonCanonicalization.number(1e21)).isEqualTo("1e+21");
        assertThat(JsonCanonicalization.number(123456789012345680000.0)).isEqualTo("123456789012345680000");
        // Java 17's Double.toString writes 2.0E-3 as it should, but this one with a digit too many.
        assertThat(JsonCanonicalization.number(2.82879384806159E17)).isEqualTo("282879384806159000");
    }

    @Test
    void everyNumberReadsBackWithNoMoreDigitsThanJavaUses() {
        SplittableRandom random = new SplittableRandom(8785);
        for (int i = 0; i < 200_000; i++) {
            double value = i % 2 == 0
                    ? Double.longBitsToDouble(random.nextLong())
                    : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30));
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String text = JsonCanonicalization.number(value);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
            assertThat(significantDigits(text)).as(text).isLessThanOrEqualTo(significantDigits(Double.toString(value)));
        }
    }

    @Test
    void integersAreNumbersLikeAnyOther() throws Exception {
        assertThat(JsonCanonicalization.canonicalize(JSON.readTree("{\"b\":[3, 3.0, 30e-1, -0.0],\"a\":12345678901234567890}")))
                .isEqualTo("{\"a\":12345678901234567000,\"b\":[3,3,3,0]}");
    }

    @Test
    void refusesWhatJsonCannotCarry() {
        assertThatThrownBy(() -> JsonCanonicalization.number(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be finite");
        assertThatThrownBy(() -> JsonCanonicalization.canonicalize(JsonNodeFactory.instance.textNode("a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }

    private static int significantDigits(String text) {
        return new BigDecimal(text).stripTrailingZeros().precision();
    }
}
