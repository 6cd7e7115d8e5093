package io.modelcast.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.parse.InputRules.InvalidInputException;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Queue;

class ParseInputTest {

    @Test
    void integersBecomeInputsThatKeepTheirTextAsReceived() throws Exception {
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness = harness()) {
            harness.processElement(LineBatch.of("7", " 12 ", "-3", "+5", "0", "9223372036854775807", "7\r"), 0);

            assertThat(inputs(harness)).containsExactly(
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
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness = harness()) {
            String tooLong = "1".repeat(65);
            harness.processElement(LineBatch.of("", "   ", "abc", "7.5", "0x10", "99999999999999999999", tooLong), 0);

            assertThat(harness.extractOutputValues()).as("no batch without inputs").isEmpty();
            assertThat(rejected(harness)).containsExactly(
                    new RejectedRecord("", "empty"),
                    new RejectedRecord("   ", "empty"),
                    new RejectedRecord("abc", "not an integer"),
                    new RejectedRecord("7.5", "not an integer"),
                    new RejectedRecord("0x10", "not an integer"),
                    new RejectedRecord("99999999999999999999", "integer out of the 64-bit range"),
                    new RejectedRecord("1".repeat(64) + "…", "longer than 64 bytes"));
        }
    }

    @Test
    void inABatchOfBothTheValidInputsKeepTheirOrderAndTheBadOnesAreSetAside() throws Exception {
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness = harness()) {
            harness.processElement(LineBatch.of("1", "x", "2", "", "3"), 0);

            assertThat(inputs(harness)).containsExactly(new InputRecord("1", 1), new InputRecord("2", 2), new InputRecord("3", 3));
            assertThat(rejected(harness)).extracting(r -> r.input).containsExactly("x", "");
        }
    }

    /** The byte-level fast path must accept exactly what {@link InputRules#parse} accepts, with the same value. */
    @Test
    void everyLineIsJudgedAsTheRulesForStringsJudgeIt() throws Exception {
        List<String> lines = List.of("7", "-0", "+0", "-", "+", "--1", "+-1", "1-", " 1 2 ", "007", "\t7\u000B", "\u001C7\u001F",
                "\u20037", "7\u00A0", "\u0663", "١٢", "é", "999999999999999999", "-999999999999999999",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                " ".repeat(60) + "7", " ".repeat(63) + "7", "1".repeat(19), "1 ", "\r");
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness = harness()) {
            for (String line : lines) {
                harness.processElement(LineBatch.of(line), 0);
            }
            List<InputRecord> accepted = inputs(harness);
            List<RejectedRecord> rejected = rejected(harness);
            int a = 0;
            int r = 0;
            for (String line : lines) {
                try {
                    long expected = InputRules.parse(line);
                    assertThat(accepted.get(a++)).as("'%s'", line).isEqualTo(new InputRecord(line, expected));
                } catch (InvalidInputException e) {
                    assertThat(rejected.get(r++).reason).as("'%s'", line).isEqualTo(e.getMessage());
                }
            }
            assertThat(a + r).isEqualTo(lines.size());
        }
    }

    @Test
    void withASourceNameEveryLineIsNumberedAndTheNumberingSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness = numbered()) {
            harness.open();
            harness.processElement(LineBatch.of("7", "abc", "12"), 0);
            harness.processElement(LineBatch.of("3"), 0);
            assertThat(inputs(harness)).extracting(r -> r.origin.topic + "/" + r.origin.partition + "@" + r.origin.offset)
                    .containsExactly("socket:h:1/0@0", "socket:h:1/0@2", "socket:h:1/0@3");
            assertThat(rejected(harness)).extracting(r -> r.origin.offset).containsExactly(1L);
            snapshot = harness.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> restored = numbered()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(LineBatch.of("5"), 0);
            assertThat(inputs(restored)).extracting(r -> r.origin.offset).containsExactly(4L);
        }
    }

    private static OneInputStreamOperatorTestHarness<LineBatch, InputBatch> numbered() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ParseInput(InputFormat.INT, "socket:h:1")));
    }

    private static List<InputRecord> inputs(OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness) {
        return harness.extractOutputValues().stream().flatMap(batch -> batch.records().stream()).toList();
    }

    private static List<RejectedRecord> rejected(OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness) {
        Queue<StreamRecord<RejectedRecord>> side = harness.getSideOutput(Descriptors.BAD_RECORDS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new ParseInput(InputFormat.INT, null));
    }
}
