package io.modelcast.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One table of inputs, as bytes, run through both paths — a socket line and a Kafka record value —
 * which must agree on each: the same value, or the same reason ({@link InputParser}).
 */
class InputRulesTableTest {

    /** An input and what both paths must make of it: a value (int), a feature count (csv, json), or a reason. */
    record Case(String name, InputFormat format, byte[] bytes, Optional<String> outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case valid(String name, InputFormat format, String text, String outcome) {
        return new Case(name, format, text.getBytes(StandardCharsets.UTF_8), Optional.of("ok " + outcome));
    }

    private static Case invalid(String name, InputFormat format, byte[] bytes, String reason) {
        return new Case(name, format, bytes, Optional.of(reason));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Case> cases() {
        return Stream.of(
                valid("plain integer", InputFormat.INT, "7", "7"),
                valid("white space around", InputFormat.INT, " \t-12 ", "-12"),
                valid("plus sign", InputFormat.INT, "+5", "5"),
                valid("19 digits, past the fast path", InputFormat.INT, "1234567890123456789", "1234567890123456789"),
                valid("non-ASCII white space", InputFormat.INT, "\u20039\u2003", "9"),
                valid("64 bytes exactly", InputFormat.INT, " ".repeat(62) + "42", "42"),
                invalid("empty", InputFormat.INT, new byte[0], "empty"),
                invalid("blank", InputFormat.INT, utf8("   "), "empty"),
                invalid("word", InputFormat.INT, utf8("seven"), "not an integer"),
                invalid("decimal", InputFormat.INT, utf8("7.5"), "not an integer"),
                invalid("out of range", InputFormat.INT, utf8("99999999999999999999"), "integer out of the 64-bit range"),
                invalid("65 bytes", InputFormat.INT, utf8("1".repeat(65)), "longer than 64 bytes"),
                // 22 characters but 66 bytes: the limit is in bytes on both paths.
                invalid("64 characters, more bytes", InputFormat.INT, utf8("\u2003".repeat(22)), "longer than 64 bytes"),
                invalid("malformed UTF-8", InputFormat.INT, new byte[] {(byte) 0xC3, (byte) 0x28}, "not valid UTF-8"),
                invalid("a lone surrogate's bytes", InputFormat.INT, new byte[] {'1', (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        "not valid UTF-8"),
                valid("csv vector", InputFormat.CSV, "0.5,-1.25,3", "3 features"),
                invalid("csv with a word", InputFormat.CSV, utf8("0.5,x"), "feature 2 is not a number: 'x'"),
                invalid("csv malformed UTF-8", InputFormat.CSV, new byte[] {'1', ',', (byte) 0xFF}, "not valid UTF-8"),
                invalid("csv empty", InputFormat.CSV, new byte[0], "empty"),
                valid("json vector", InputFormat.JSON, "{\"id\": \"r-1\", \"features\": [1, 2]}", "2 features"),
                invalid("json without features", InputFormat.JSON, utf8("{\"id\": 1}"), "no \"features\" array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aSocketLineAndAKafkaRecordGetTheSameVerdict(Case c) throws Exception {
        assertThat(throughSocket(c)).as("socket path").isEqualTo(c.outcome().orElseThrow());
        assertThat(throughKafka(c)).as("Kafka path").isEqualTo(c.outcome().orElseThrow());
    }

    private static String throughSocket(Case c) throws Exception {
        try (OneInputStreamOperatorTestHarness<LineBatch, InputBatch> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseInput(c.format(), null))) {
            harness.processElement(new LineBatch(c.bytes(), new int[] {c.bytes().length}, 1), 0);
            List<InputBatch> batches = harness.extractOutputValues();
            if (batches.isEmpty()) {
                return harness.getSideOutput(Descriptors.BAD_RECORDS).stream().map(StreamRecord::getValue)
                        .map(r -> r.reason).findFirst().orElse("nothing came out");
            }
            InputBatch batch = batches.get(0);
            return "ok " + (c.format().hasFeatures() ? batch.featureCount(0) + " features" : Long.toString(batch.value(0)));
        }
    }

    private static String throughKafka(Case c) throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaInput, InputRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseKafkaRecord(c.format()))) {
            harness.processElement(new KafkaInput(c.bytes(), new RecordOrigin("s0", 0, 1, 0, null)), 0);
            List<InputRecord> records = harness.extractOutputValues();
            if (records.isEmpty()) {
                return harness.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                        .map(d -> d.reason).findFirst().orElse("nothing came out");
            }
            InputRecord record = records.get(0);
            return "ok " + (c.format().hasFeatures() ? record.features.length + " features" : Long.toString(record.value));
        }
    }
}
