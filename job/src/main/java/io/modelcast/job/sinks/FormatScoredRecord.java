package io.modelcast.job.sinks;

import io.modelcast.job.OutputFormat;
import io.modelcast.job.records.ScoredRecord;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a scored record into an output line: the model's output alone ({@code text}, as the seed
 * printed it) or {@linkplain #json JSON}.
 */
public final class FormatScoredRecord implements MapFunction<ScoredRecord, String> {

    private final OutputFormat format;

    public FormatScoredRecord(OutputFormat format) {
        this.format = format;
    }

    @Override
    public String map(ScoredRecord record) {
        if (format == OutputFormat.JSON) {
            return json(record);
        }
        return record.isPrediction()
                ? (record.id == null ? "" : record.id + " ") + String.format(java.util.Locale.ROOT, "%.6f %s", record.score, record.output)
                : record.output;
    }

    /**
     * {@code {"input":"7","output":"070707","modelVersion":3,"modelAgeMs":5012,"subtask":1}} — for a
     * feature model {@code {"id":"r-17","score":0.87,"label":1,"modelVersion":3,…}}, with {@code
     * input} instead of {@code id} when the input has none — plus {@code topic}, {@code partition}
     * and {@code offset} of the input for Kafka input, and {@code fallbackFrom} (the remote model
     * version that failed) and {@code fallbackReason} for a fallback model's result.
     */
    public static String json(ScoredRecord record) {
        JsonLine json = new JsonLine();
        if (record.isPrediction()) {
            // Feature vectors can be long: the id stands for the input when there is one.
            if (record.id != null) {
                json.field("id", record.id);
            } else {
                json.field("input", record.input);
            }
            json.field("score", record.score).field("label", Long.parseLong(record.output));
        } else {
            json.field("input", record.input).field("output", record.output);
        }
        json.field("modelVersion", record.modelVersion)
                .field("modelAgeMs", record.modelAgeMs)
                .field("subtask", record.subtask);
        if (record.fallbackFrom != 0) {
            json.field("fallbackFrom", record.fallbackFrom).field("fallbackReason", record.fallbackReason);
        }
        if (record.origin != null) {
            json.field("topic", record.origin.topic)
                    .field("partition", record.origin.partition)
                    .field("offset", record.origin.offset);
        }
        return json.toString();
    }
}
