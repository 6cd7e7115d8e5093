package io.modelcast.job.events;

import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.util.OutputTag;

/** Where the events operators send a rejection, from whichever context they are in. */
interface Rejections {
    void output(OutputTag<RejectedRecord> tag, RejectedRecord record);
}
