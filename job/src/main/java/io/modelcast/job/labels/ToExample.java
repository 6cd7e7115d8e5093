package io.modelcast.job.labels;

import io.modelcast.job.InputFormat;
import io.modelcast.job.parse.InputParser;
import io.modelcast.job.sinks.JsonLine;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A labelled prediction as a training example, one JSON line —
 * {@code {"id":"r-17","model":"fraud","modelVersion":4,"features":[0.5,1.0],"label":1,"score":0.83}} —
 * the features read again from the record's input by the job's own parser (so an example holds
 * exactly what the model scored) — or, for raw events, the features the job computed, which the
 * prediction kept. The contract between the job's {@code --examples-topic} and
 * {@code fitter train --from-kafka}.
 */
public final class ToExample implements FlatMapFunction<LabelledPrediction, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputFormat format;
    private transient InputParser parser;

    /** @param format the job's input format, which the kept inputs are in */
    public ToExample(InputFormat format) {
        this.format = format;
    }

    @Override
    public void flatMap(LabelledPrediction labelled, Collector<String> out) {
        if (labelled.input == null || !format.hasFeatures()) {
            return;
        }
        if (format == InputFormat.EVENTS) {
            // The prediction kept the features computed from the event (the job shows them).
            emit(labelled, computedFeatures(labelled.input), out);
            return;
        }
        if (parser == null) {
            parser = new InputParser(format);
        }
        byte[] bytes = labelled.input.getBytes(StandardCharsets.UTF_8);
        // The input was accepted once; it is read again only for its features.
        if (!parser.accept(bytes, 0, bytes.length) || parser.features() == null) {
            return;
        }
        emit(labelled, parser.features(), out);
    }

    private static void emit(LabelledPrediction labelled, float[] features, Collector<String> out) {
        out.collect(new JsonLine().field("id", labelled.id).field("model", labelled.model)
                .field("modelVersion", labelled.modelVersion).field("features", features)
                .field("label", labelled.actual).field("score", labelled.score).toString());
    }

    /** The values of a {@code {name: value}} object the job wrote, in its order (the spec's). */
    static float[] computedFeatures(String object) {
        try {
            JsonNode features = JSON.readTree(object);
            float[] values = new float[features.size()];
            int i = 0;
            for (JsonNode value : features) {
                values[i++] = Float.parseFloat(value.asText());
            }
            return values;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("features the job wrote are not a JSON object of numbers: " + object, e);
        }
    }
}
