package io.modelcast.fitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The job's labelled examples of one model name, as training rows, whichever way they came (its
 * {@code --examples-topic} or {@code --examples-dir}). An example is one JSON object —
 * {@code {"id":…,"model":…,"modelVersion":…,"features":[…],"label":0|1,"score":…}}; examples of other
 * names, of another width than the first, and anything that is not an example are skipped and counted.
 */
final class Examples {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was read: the training rows, and how many records were skipped and why. */
    record Read(LabelledData data, Map<String, Integer> skipped) {}

    private final String name;
    private final List<float[]> features = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final Map<String, Integer> skipped = new HashMap<>();

    Examples(String name) {
        this.name = name;
    }

    /** Adds one record's value: a row if it is an example of the name, else a count of why not. */
    void add(byte[] value) {
        JsonNode example;
        try {
            example = value == null ? null : JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            example = null;
        }
        if (example == null || !example.path("features").isArray() || !example.path("label").isInt()) {
            skip("not an example");
            return;
        }
        if (!name.equals(example.path("model").asText())) {
            skip("another model's");
            return;
        }
        JsonNode array = example.get("features");
        if (!features.isEmpty() && array.size() != features.get(0).length) {
            skip("another width than the first example's");
            return;
        }
        int label = example.get("label").asInt();
        if (label != 0 && label != 1) {
            skip("not an example");
            return;
        }
        float[] row = new float[array.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) array.get(i).asDouble();
        }
        features.add(row);
        labels.add(label);
    }

    private void skip(String why) {
        skipped.merge(why, 1, Integer::sum);
    }

    /** The rows gathered so far, and what was skipped; fails if there is no row. */
    Read read() throws IOException {
        return new Read(data(), Map.copyOf(skipped));
    }

    private LabelledData data() throws IOException {
        if (features.isEmpty()) {
            throw new IOException("no examples of model " + name + " in the window"
                    + (skipped.isEmpty() ? "" : " (skipped: " + skipped + ")"));
        }
        int width = features.get(0).length;
        float[] flat = new float[features.size() * width];
        for (int r = 0; r < features.size(); r++) {
            System.arraycopy(features.get(r), 0, flat, r * width, width);
        }
        List<String> names = IntStream.range(0, width).mapToObj(i -> "f" + i).toList();
        return new LabelledData(names, flat, labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
