package io.modelcast.job.sinks;

import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;

/** JSON lines for the side outputs, whatever the output format: they are for machines and logs. */
public final class FormatRejections {

    private FormatRejections() {}

    public static String record(RejectedRecord rejected) {
        return new JsonLine().field("input", rejected.input).field("reason", rejected.reason).toString();
    }

    public static String model(RejectedModel rejected) {
        return new JsonLine()
                .field("file", rejected.file)
                .field("reason", rejected.reason)
                .field("message", rejected.message)
                .toString();
    }
}
