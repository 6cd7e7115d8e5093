package io.modelcast.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.OutputFormat;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;

import org.junit.jupiter.api.Test;

class FormattingTest {

    private final Result scored = Result.output("7", "070707", 3, 5012, 1, null);

    @Test
    void textIsTheModelsOutputAlone() {
        assertThat(new FormatResult(OutputFormat.TEXT).map(scored)).isEqualTo("070707");
    }

    @Test
    void jsonCarriesInputOutputVersionAndSubtask() {
        assertThat(new FormatResult(OutputFormat.JSON).map(scored))
                .isEqualTo("{\"input\":\"7\",\"output\":\"070707\",\"model\":\"default\",\"modelVersion\":3,\"modelAgeMs\":5012,\"subtask\":1}");
    }

    @Test
    void aResultShowingItsFeaturesCarriesThemAsAnObjectByName() {
        Result prediction = Result.prediction("{\"id\":\"e1\"}", "e1", 0.25, 0, 4, 10, 0, null)
                .withFeatures(JsonLine.numbersByName(java.util.List.of("amount", "mean10"), new float[] {12.5f, 0.1f}));
        assertThat(new FormatResult(OutputFormat.JSON).map(prediction)).isEqualTo("{\"id\":\"e1\",\"score\":0.25,\"label\":0,"
                + "\"model\":\"default\",\"modelVersion\":4,\"modelAgeMs\":10,\"subtask\":0,"
                + "\"features\":{\"amount\":12.5,\"mean10\":0.1}}");
    }

    @Test
    void rejectionsAreJsonWithEscapedStrings() {
        assertThat(FormatRejections.record(new RejectedRecord("say \"hi\"\n", "not an integer")))
                .isEqualTo("{\"input\":\"say \\\"hi\\\"\\n\",\"reason\":\"not an integer\"}");
        assertThat(FormatRejections.model(new RejectedModel("m.json", "BAD_JSON", "model file m.json is not valid JSON")))
                .isEqualTo("{\"file\":\"m.json\",\"reason\":\"BAD_JSON\",\"message\":\"model file m.json is not valid JSON\"}");
    }
}
