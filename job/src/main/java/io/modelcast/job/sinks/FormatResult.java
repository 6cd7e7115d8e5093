package io.modelcast.job.sinks;

import io.modelcast.job.OutputFormat;
import io.modelcast.job.records.Result;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Locale;

/**
 * Turns a result into an output line: the model's output alone ({@code text}, as the seed printed
 * it; for a feature model {@code [id ]score label}) or {@linkplain #json JSON}.
 */
public final class FormatResult implements MapFunction<Result, String> {

    private final OutputFormat format;

    public FormatResult(OutputFormat format) {
        this.format = format;
    }

    @Override
    public String map(Result result) {
        if (format == OutputFormat.JSON) {
            return json(result);
        }
        if (!result.isPrediction()) {
            return result.output();
        }
        String line = String.format(Locale.ROOT, "%.6f %s", result.score().getAsDouble(), result.output());
        return result.id() == null ? line : result.id() + " " + line;
    }

    /**
     * {@code {"input":"7","output":"070707","model":"default","modelVersion":3,"modelAgeMs":5012,"subtask":1}}
     * — for a feature model {@code {"id":"r-17","score":0.87,"label":1,"model":"default","modelVersion":3,…}},
     * with {@code input} instead of {@code id} when the input has none; {@code "role":"champion"} or
     * {@code "role":"canary"} after the name while a challenger is rolled out — plus {@code topic}, {@code partition}
     * and {@code offset} of the input for Kafka input, and {@code fallbackFrom} (the remote model
     * version that failed) and {@code fallbackReason} for a fallback model's result, and {@code
     * features} ({@code {"name": value, …}}) when the features the model saw are shown ({@code --emit-features}).
     */
    public static String json(Result result) {
        JsonLine json = new JsonLine();
        if (result.isPrediction()) {
            // Feature vectors can be long: the id stands for the input when there is one.
            if (result.id() != null) {
                json.field("id", result.id());
            } else {
                json.field("input", result.input());
            }
            json.field("score", result.score().getAsDouble()).field("label", Long.parseLong(result.output()));
        } else {
            json.field("input", result.input()).field("output", result.output());
        }
        json.field("model", result.model());
        if (result.role() != Result.Role.ONLY) {
            json.field("role", result.role().label());
        }
        json.field("modelVersion", result.modelVersion())
                .field("modelAgeMs", result.modelAgeMs())
                .field("subtask", result.subtask());
        result.fallbackFrom().ifPresent(failed ->
                json.field("fallbackFrom", failed.version()).field("fallbackReason", failed.reason()));
        if (result.features() != null) {
            json.raw("features", result.features());
        }
        if (result.origin() != null) {
            json.field("topic", result.origin().topic)
                    .field("partition", result.origin().partition)
                    .field("offset", result.origin().offset);
        }
        return json.toString();
    }
}
