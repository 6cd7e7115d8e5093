package io.modelcast.job.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** What a label may look like, on a socket and in Kafka, and the reason each bad one is refused with. */
class LabelParserTest {

    @Test
    void readsSocketLinesAndKafkaValuesWhoseKeyIsTheId() throws Exception {
        assertThat(LabelParser.line("r-1,1")).isEqualTo(new Label("r-1", 1, "r-1,1", null));
        assertThat(LabelParser.line(" a,b , 0 ").id).as("the last comma splits").isEqualTo("a,b");
        assertThat(LabelParser.kafka(null, bytes("{\"id\":\"r-2\",\"label\":0}"), null).id).isEqualTo("r-2");
        assertThat(LabelParser.kafka(null, bytes("{\"id\":17,\"label\":1}"), null).id).isEqualTo("17");
        assertThat(LabelParser.kafka(bytes("k-9"), bytes("{\"label\":1}"), null).id).as("the key wins").isEqualTo("k-9");
    }

    @Test
    void refusesBadLabelsWithAReason() {
        assertThatThrownBy(() -> LabelParser.line("r-1")).hasMessageContaining("no comma");
        assertThatThrownBy(() -> LabelParser.line(",1")).hasMessageContaining("needs the id");
        assertThatThrownBy(() -> LabelParser.line("r-1,2")).hasMessageContaining("0 or 1, was '2'");
        assertThatThrownBy(() -> LabelParser.line("r-1,yes")).hasMessageContaining("0 or 1, was 'yes'");
        assertThatThrownBy(() -> LabelParser.line("x".repeat(300) + ",1")).hasMessageContaining("at most 256");
        assertThatThrownBy(() -> LabelParser.kafka(null, bytes("not json"), null)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> LabelParser.kafka(null, bytes("[1]"), null)).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> LabelParser.kafka(null, bytes("{\"id\":\"a\"}"), null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> LabelParser.kafka(null, bytes("{\"id\":\"a\",\"label\":0.5}"), null)).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> LabelParser.kafka(null, bytes("{\"label\":1}"), null)).hasMessageContaining("needs the id");
        assertThatThrownBy(() -> LabelParser.kafka(null, null, null)).hasMessageContaining("JSON object");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
