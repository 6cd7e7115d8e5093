package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The preprocessing step: turns a line of text into an {@link InputRecord}. Lines that are empty,
 * longer than {@link #MAX_INPUT_CHARS}, or not a 64-bit integer go to {@link
 * Descriptors#BAD_RECORDS} with the reason; nothing is dropped and nothing fails the job.
 */
public final class ParseInput extends ProcessFunction<String, InputRecord> {

    /** Longer inputs are rejected: no 64-bit integer needs more, with room for white space. */
    public static final int MAX_INPUT_CHARS = 64;

    private transient Counter recordsRejected;

    @Override
    public void open(OpenContext openContext) {
        recordsRejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
    }

    @Override
    public void processElement(String line, Context ctx, Collector<InputRecord> out) {
        if (line.length() > MAX_INPUT_CHARS) {
            reject(ctx, line.substring(0, MAX_INPUT_CHARS) + "…", "longer than " + MAX_INPUT_CHARS + " characters");
            return;
        }
        String text = line.strip();
        if (text.isEmpty()) {
            reject(ctx, line, "empty line");
            return;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            reject(ctx, text, text.matches("[+-]?[0-9]+") ? "integer out of the 64-bit range" : "not an integer");
            return;
        }
        out.collect(new InputRecord(text, value));
    }

    private void reject(Context ctx, String input, String reason) {
        recordsRejected.inc();
        ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(input, reason));
    }
}
