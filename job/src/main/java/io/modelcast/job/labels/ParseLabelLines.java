package io.modelcast.job.labels;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Socket labels: each line {@code id,label} becomes a {@link Label}; a bad line goes to {@link Descriptors#BAD_RECORDS} with the reason. */
public final class ParseLabelLines extends ProcessFunction<LineBatch, Label> {

    @Override
    public void processElement(LineBatch lines, Context ctx, Collector<Label> out) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.line(i);
            try {
                out.collect(LabelParser.line(line));
            } catch (LabelParser.BadLabel e) {
                ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(line, "bad label: " + e.getMessage()));
            }
        }
    }
}
