package io.modelcast.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseInputTest {

    @Test
    void integersBecomeRecordsWithTheirTrimmedText() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InputRecord> harness = harness()) {
            for (String line : new String[] {"7", " 12 ", "-3", "+5", "0", "9223372036854775807", "7\r"}) {
                harness.processElement(line, 0);
            }

            assertThat(harness.extractOutputValues())
                    .as("records keep their text as received")
                    .containsExactly(
                            new InputRecord("7", 7),
                            new InputRecord(" 12 ", 12),
                            new InputRecord("-3", -3),
                            new InputRecord("+5", 5),
                            new InputRecord("0", 0),
                            new InputRecord("9223372036854775807", Long.MAX_VALUE),
                            new InputRecord("7\r", 7));
            assertThat(harness.getSideOutput(Descriptors.BAD_RECORDS)).isNull();
        }
    }

    @Test
    void badLinesGoToTheBadRecordsOutputWithTheReason() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InputRecord> harness = harness()) {
            String tooLong = "1".repeat(65);
            for (String line : new String[] {"", "   ", "abc", "7.5", "0x10", "99999999999999999999", tooLong}) {
                harness.processElement(line, 0);
            }

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.getSideOutput(Descriptors.BAD_RECORDS))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(
                            new RejectedRecord("", "empty"),
                            new RejectedRecord("   ", "empty"),
                            new RejectedRecord("abc", "not an integer"),
                            new RejectedRecord("7.5", "not an integer"),
                            new RejectedRecord("0x10", "not an integer"),
                            new RejectedRecord("99999999999999999999", "integer out of the 64-bit range"),
                            new RejectedRecord("1".repeat(64) + "…", "longer than 64 characters"));
        }
    }

    private static OneInputStreamOperatorTestHarness<String, InputRecord> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new ParseInput());
    }
}
