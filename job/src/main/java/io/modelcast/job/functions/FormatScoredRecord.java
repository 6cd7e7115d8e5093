package io.modelcast.job.functions;

import io.modelcast.job.OutputFormat;
import io.modelcast.job.records.ScoredRecord;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a scored record into an output line: the model's output alone ({@code text}, as the seed
 * printed it) or JSON with the input, output, model version and subtask ({@code json}).
 */
public final class FormatScoredRecord implements MapFunction<ScoredRecord, String> {

    private final OutputFormat format;

    public FormatScoredRecord(OutputFormat format) {
        this.format = format;
    }

    @Override
    public String map(ScoredRecord record) {
        if (format == OutputFormat.TEXT) {
            return record.output;
        }
        return new JsonLine()
                .field("input", record.input)
                .field("output", record.output)
                .field("modelVersion", record.modelVersion)
                .field("subtask", record.subtask)
                .toString();
    }
}
