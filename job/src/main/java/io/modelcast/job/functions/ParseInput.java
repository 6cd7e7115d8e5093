package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.functions.InputRules.InvalidInputException;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The preprocessing step of the socket path: turns a line into an {@link InputRecord}. Lines that
 * break the {@link InputRules} go to {@link Descriptors#BAD_RECORDS} with the reason; nothing is
 * dropped and nothing fails the job.
 */
public final class ParseInput extends ProcessFunction<String, InputRecord> {

    private transient Counter recordsRejected;

    @Override
    public void open(OpenContext openContext) {
        recordsRejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
    }

    @Override
    public void processElement(String line, Context ctx, Collector<InputRecord> out) {
        try {
            out.collect(new InputRecord(line, InputRules.parse(line)));
        } catch (InvalidInputException e) {
            recordsRejected.inc();
            String shown = line.length() > InputRules.MAX_INPUT_LENGTH
                    ? line.substring(0, InputRules.MAX_INPUT_LENGTH) + "…"
                    : line;
            ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(shown, e.getMessage()));
        }
    }
}
