package io.modelcast.fitter;

import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.FeatureSpecException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code fitter train}'s raw-events options: the events, the feature spec, and the label and time fields. */
final class EventsOptions {

    @Option(names = "--events", paramLabel = "FILE.jsonl",
            description = "Train on raw events (JSON lines): --feature-spec's features computed from them in event-time order"
                    + " with the job's own code, the label from --label-field; the spec is published with the model.")
    Path file;

    @Option(names = "--feature-spec", paramLabel = "FILE.json",
            description = "With --events: the features to compute (docs/features.md).")
    Path featureSpecFile;

    @Option(names = "--label-field", defaultValue = "label", paramLabel = "NAME",
            description = "With --events: the field holding an event's label, 0 or 1. Default: ${DEFAULT-VALUE}.")
    String labelField;

    @Option(names = "--time-field", defaultValue = "ts", paramLabel = "NAME",
            description = "With --events: the field holding an event's time (epoch milliseconds or ISO-8601)."
                    + " Default: ${DEFAULT-VALUE}.")
    String timeField;

    /** A usage error unless the events and their spec come together. */
    void check(CommandSpec command) {
        if ((file == null) != (featureSpecFile == null)) {
            throw new ParameterException(command.commandLine(), "--events and --feature-spec go together");
        }
    }

    /** The spec of --feature-spec, if given; an error naming the file if it is not one. */
    Optional<FeatureSpec> featureSpec() throws IOException {
        if (featureSpecFile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(FeatureSpec.fromJson(new ObjectMapper().readTree(featureSpecFile.toFile())));
        } catch (FeatureSpecException | JsonProcessingException e) {
            throw new IOException(featureSpecFile + ": " + e.getMessage(), e);
        }
    }
}
