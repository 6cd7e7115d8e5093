package io.modelcast.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.ModelProbe.ProbeFailedException;

import org.junit.jupiter.api.Test;

class ModelProbeTest {

    @Test
    void theSeedModelPassesItsProbe() {
        assertThatCode(() -> ModelProbe.check(new CustomModel(true))).doesNotThrowAnyException();
        assertThatCode(() -> ModelProbe.check(new CustomModel(false))).doesNotThrowAnyException();
    }

    @Test
    void aModelThatThrowsOnAProbeInputFailsNamingTheInput() {
        Model failsOnNegatives = new IntegerModel() {
            @Override
            public String typeName() {
                return "test";
            }

            @Override
            public String transform(long input) {
                if (input < 0) {
                    throw new ArithmeticException("negative");
                }
                return "ok";
            }
        };

        assertThatThrownBy(() -> ModelProbe.check(failsOnNegatives))
                .isInstanceOf(ProbeFailedException.class)
                .hasMessage("fails on probe input -7: java.lang.ArithmeticException: negative");
    }

    @Test
    void aModelThatReturnsNothingFails() {
        Model silent = new IntegerModel() {
            @Override
            public String typeName() {
                return "test";
            }

            @Override
            public String transform(long input) {
                return null;
            }
        };

        assertThatThrownBy(() -> ModelProbe.check(silent)).hasMessage("returns nothing for probe input 0");
    }
}
