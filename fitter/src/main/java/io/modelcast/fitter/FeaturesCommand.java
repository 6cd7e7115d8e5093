package io.modelcast.fitter;

import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.FeatureSpecException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code fitter features}: the features a feature spec computes for each event of a file, as
 * training computes them (event-time order, the job's own code) — to see what a model is trained
 * on, and to check that the job computes the same ({@code --emit-features}).
 */
@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description = {
            "Prints, for each line of a raw-events file, the features --feature-spec computes for it as training does"
                    + " (event-time order, the job's own code): {\"line\": N, \"id\": …, \"features\": {name: value}},"
                    + " or {\"line\": N, \"problem\": …} for a line the spec cannot use. Values are 32-bit, as models see them."
        })
final class FeaturesCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--events", required = true, paramLabel = "FILE.jsonl", description = "The raw events, one JSON object a line.")
    Path events;

    @Option(names = "--feature-spec", required = true, paramLabel = "FILE.json", description = "The features to compute (docs/features.md).")
    Path featureSpec;

    @Option(names = "--time-field", defaultValue = "ts", paramLabel = "NAME",
            description = "The field holding an event's time (epoch milliseconds or ISO-8601). Default: ${DEFAULT-VALUE}.")
    String timeField;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the lines to this file. Default: standard output.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FeatureSpec features;
        try {
            features = FeatureSpec.fromJson(JSON.readTree(featureSpec.toFile()));
        } catch (FeatureSpecException | JsonProcessingException e) {
            throw new IOException(featureSpec + ": " + e.getMessage(), e);
        }
        List<Event> read = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String line;
            for (int number = 1; (line = reader.readLine()) != null; number++) {
                if (line.isBlank()) {
                    continue;
                }
                lines.add(number);
                try {
                    read.add(Event.of(JSON.readTree(line), timeField));
                    problems.add(null);
                } catch (JsonProcessingException e) {
                    read.add(null);
                    problems.add("not valid JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    read.add(null);
                    problems.add(e.getMessage());
                }
            }
        }
        List<Event> usable = read.stream().filter(e -> e != null).toList();
        List<double[]> computed = FeatureComputer.offline(features, usable);
        FeatureComputer computer = new FeatureComputer(features, 0);
        try (Writer writer = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            PrintWriter out = writer == null ? spec.commandLine().getOut() : new PrintWriter(writer);
            int next = 0;
            for (int i = 0; i < read.size(); i++) {
                ObjectNode json = JSON.createObjectNode().put("line", lines.get(i));
                Event event = read.get(i);
                if (event == null) {
                    json.put("problem", problems.get(i));
                } else {
                    double[] values = computed.get(next++);
                    if (event.fields().hasNonNull("id")) {
                        json.put("id", event.fields().get("id").asText());
                    }
                    if (values == null) {
                        json.put("problem", computer.problem(event).orElse("not usable"));
                    } else {
                        ObjectNode shown = json.putObject("features");
                        for (int f = 0; f < values.length; f++) {
                            shown.put(features.names().get(f), (float) values[f]);
                        }
                    }
                }
                out.println(JSON.writeValueAsString(json));
            }
            out.flush();
        }
        return 0;
    }
}
