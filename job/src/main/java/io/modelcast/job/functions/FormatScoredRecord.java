package io.modelcast.job.functions;

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
        return format == OutputFormat.TEXT ? record.output : json(record);
    }

    /**
     * {@code {"input":"7","output":"070707","modelVersion":3,"modelAgeMs":5012,"subtask":1}}, plus
     * {@code topic}, {@code partition} and {@code offset} of the input for Kafka input.
     */
    public static String json(ScoredRecord record) {
        JsonLine json = new JsonLine()
                .field("input", record.input)
                .field("output", record.output)
                .field("modelVersion", record.modelVersion)
                .field("modelAgeMs", record.modelAgeMs)
                .field("subtask", record.subtask);
        if (record.origin != null) {
            json.field("topic", record.origin.topic)
                    .field("partition", record.origin.partition)
                    .field("offset", record.origin.offset);
        }
        return json.toString();
    }
}
