package io.modelcast.fitter;

import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training rows from raw events (JSON lines): each event's features computed by the feature spec
 * with the job's own code ({@link FeatureComputer#offline}, in event-time order), its label read from
 * the label field. Every event counts toward its key's history; only events with a label of 0 or 1
 * become rows. Lines that are not events, and events the spec cannot use, are counted by reason.
 *
 * @param data the rows
 * @param skipped per reason, how many lines or events gave no row
 */
record EventsData(LabelledData data, Map<String, Integer> skipped) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EventsData read(Path file, FeatureSpec spec, String labelField, String timeField) throws IOException {
        List<Event> events = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(Event.of(JSON.readTree(line), timeField));
                } catch (IOException | IllegalArgumentException e) {
                    skipped.merge("not an event with a time", 1, Integer::sum);
                }
            }
        }
        List<double[]> features = FeatureComputer.offline(spec, events);
        FeatureComputer computer = new FeatureComputer(spec, 0);
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (features.get(i) == null) {
                skipped.merge(computer.problem(events.get(i)).orElse("not usable"), 1, Integer::sum);
                continue;
            }
            JsonNode label = events.get(i).fields().get(labelField);
            if (label == null || !label.isIntegralNumber() || (label.intValue() != 0 && label.intValue() != 1)) {
                skipped.merge("no label of 0 or 1 in '" + labelField + "'", 1, Integer::sum);
                continue;
            }
            float[] row = new float[features.get(i).length];
            for (int f = 0; f < row.length; f++) {
                row[f] = (float) features.get(i)[f];
            }
            rows.add(row);
            labels.add(label.intValue());
        }
        if (rows.isEmpty()) {
            throw new IOException(file + " gave no training rows (" + skipped + ")");
        }
        int width = spec.features().size();
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * width, width);
        }
        return new EventsData(new LabelledData(spec.names(), flat, labels.stream().mapToInt(Integer::intValue).toArray()), skipped);
    }
}
