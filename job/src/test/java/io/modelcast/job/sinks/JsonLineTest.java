package io.modelcast.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void plainAndEscapedStringsReadBackAsWritten() throws Exception {
        String[] values = {"070707", "s0", "a \"quoted\" \\ path", "tab\tnew\nline\u0001", "naïve ✓", ""};
        for (String value : values) {
            String line = new JsonLine().field("v", value).field("n", 7).toString();
            assertThat(new ObjectMapper().readTree(line).get("v").asText()).as(line).isEqualTo(value);
        }
    }

    @Test
    void toStringCanBeCalledAgainAndTheLineExtended() {
        JsonLine line = new JsonLine().field("a", "x");
        assertThat(line.toString()).isEqualTo("{\"a\":\"x\"}");
        assertThat(line.toString()).isEqualTo("{\"a\":\"x\"}");
        assertThat(line.field("b", 1).toString()).isEqualTo("{\"a\":\"x\",\"b\":1}");
    }
}
