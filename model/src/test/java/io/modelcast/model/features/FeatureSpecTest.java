package io.modelcast.model.features;

import static io.modelcast.model.features.FeatureComputerTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    @Test
    void aSpecRoundTripsThroughItsJson() throws Exception {
        FeatureSpec spec = spec("""
                {"features": [
                  {"name": "amount", "op": "value", "of": "amount"},
                  {"name": "n1h", "op": "count", "by": "user", "window": "1h"},
                  {"name": "mean10", "op": "mean", "of": "amount", "by": "user", "last": 10},
                  {"name": "since", "op": "seconds_since_last", "by": "user", "missing": -1}]}""");

        assertThat(FeatureSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(spec.names()).containsExactly("amount", "n1h", "mean10", "since");
        assertThat(spec.keyField()).contains("user");
        assertThat(spec.features().get(1).windowMillis()).isEqualTo(3_600_000);
    }

    @Test
    void eachKindOfBadSpecIsRefusedWithItsReason() {
        String[][] cases = {
            {"{}", "an object with a \"features\" array"},
            {"{\"features\": []}", "1 to 256 features"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"median\", \"of\": \"a\", \"last\": 3}]}", "unknown op 'median'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"sum\", \"last\": 3}]}", "needs 'of'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"count\", \"of\": \"a\", \"last\": 3}]}", "reads no field"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"sum\", \"of\": \"a\"}]}", "needs exactly one of 'last'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"sum\", \"of\": \"a\", \"last\": 3, \"window\": \"1m\"}]}",
                "needs exactly one of 'last'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"sum\", \"of\": \"a\", \"window\": \"an hour\"}]}",
                "'window' is a duration such as"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"sum\", \"of\": \"a\", \"last\": 0}]}", "'last' is a whole number"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"value\", \"of\": \"a\", \"by\": \"u\"}]}", "no 'by', 'last' or 'window'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"last\", \"of\": \"a\", \"last\": 2}]}", "looks at the previous event"},
            {"{\"features\": [{\"name\": \"1x\", \"op\": \"value\", \"of\": \"a\"}]}", "needs a 'name'"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"value\", \"of\": \"a\"}, {\"name\": \"x\", \"op\": \"value\", \"of\": \"b\"}]}",
                "declared twice"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"count\", \"by\": \"u\", \"last\": 2},"
                    + " {\"name\": \"y\", \"op\": \"count\", \"by\": \"v\", \"last\": 2}]}", "share one 'by' field"},
            {"{\"features\": [{\"name\": \"x\", \"op\": \"value\", \"of\": \"a\", \"colour\": \"red\"}]}", "unknown field 'colour'"},
        };
        for (String[] bad : cases) {
            assertThatThrownBy(() -> spec(bad[0])).as(bad[0]).isInstanceOf(FeatureSpecException.class)
                    .hasMessageContaining(bad[1]);
        }
    }
}
