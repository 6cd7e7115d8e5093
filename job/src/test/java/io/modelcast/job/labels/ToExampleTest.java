package io.modelcast.job.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.InputFormat;
import io.modelcast.job.records.Result;
import io.modelcast.job.sinks.JsonLine;

import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Labelled examples hold what the model scored: the vector of a JSON input, the features computed from a raw event. */
class ToExampleTest {

    @Test
    void anExampleOfARawEventHoldsTheFeaturesTheJobComputedNotTheEvent() throws Exception {
        Result result = Result.prediction("{\"id\":\"e1\",\"ts\":1,\"user\":\"u\",\"amount\":12.5}", "e1", 0.75, 1, 3, 10, 0, null)
                .withFeatures(JsonLine.numbersByName(List.of("amount", "mean10"), new float[] {12.5f, 0.1f}));
        Prediction prediction = Prediction.of(result, true).orElseThrow();

        List<String> examples = examples(new ToExample(InputFormat.EVENTS), prediction);

        assertThat(examples).containsExactly(
                "{\"id\":\"e1\",\"model\":\"default\",\"modelVersion\":3,\"features\":[12.5,0.1],\"label\":0,\"score\":0.75}");
    }

    @Test
    void anExampleOfAJsonInputHoldsItsVector() throws Exception {
        Result result = Result.prediction("{\"id\":\"r1\",\"features\":[1,2.5]}", "r1", 0.25, 0, 3, 10, 0, null);

        assertThat(examples(new ToExample(InputFormat.JSON), Prediction.of(result, true).orElseThrow())).containsExactly(
                "{\"id\":\"r1\",\"model\":\"default\",\"modelVersion\":3,\"features\":[1.0,2.5],\"label\":0,\"score\":0.25}");
    }

    private static List<String> examples(ToExample toExample, Prediction prediction) throws Exception {
        LabelledPrediction labelled = new LabelledPrediction(prediction, 0);
        List<String> out = new ArrayList<>();
        toExample.flatMap(labelled, new Collector<>() {
            @Override
            public void collect(String record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        return out;
    }
}
