package io.modelcast.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

class ParseKafkaRecordTest {

    @Test
    void validRecordsKeepTheirTextAndWhereTheyWereRead() throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaInput, InputRecord> harness = harness()) {
            harness.processElement(input(" 7 ", 3), 0);

            assertThat(harness.extractOutputValues()).containsExactly(new InputRecord(" 7 ", 7, origin(3)));
        }
    }

    @Test
    void everyKindOfBadRecordBecomesADeadLetterWithItsOriginalBytesReasonAndOffset() throws Exception {
        byte[] badUtf8 = {(byte) 0xC3, (byte) 0x28};
        byte[] tooLong = "1".repeat(65).getBytes(StandardCharsets.UTF_8);
        try (OneInputStreamOperatorTestHarness<KafkaInput, InputRecord> harness = harness()) {
            harness.processElement(new KafkaInput(null, origin(0)), 0);
            harness.processElement(input("", 1), 0);
            harness.processElement(input("seven", 2), 0);
            harness.processElement(new KafkaInput(badUtf8, origin(3)), 0);
            harness.processElement(new KafkaInput(tooLong, origin(4)), 0);
            harness.processElement(input("99999999999999999999", 5), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> letters = harness.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(letters).containsExactly(
                    new DeadLetter(null, "empty", origin(0)),
                    new DeadLetter(new byte[0], "empty", origin(1)),
                    new DeadLetter(bytes("seven"), "not an integer", origin(2)),
                    new DeadLetter(badUtf8, "not valid UTF-8", origin(3)),
                    new DeadLetter(tooLong, "longer than 64 bytes", origin(4)),
                    new DeadLetter(bytes("99999999999999999999"), "integer out of the 64-bit range", origin(5)));
        }
    }

    @Test
    void aKeyOverTheLimitMakesADeadLetterWithoutTheKey() throws Exception {
        byte[] hugeKey = new byte[ParseKafkaRecord.MAX_KEY_BYTES + 1];
        RecordOrigin withHugeKey = new RecordOrigin("s0", 1, 9, 1_009, hugeKey);
        try (OneInputStreamOperatorTestHarness<KafkaInput, InputRecord> harness = harness()) {
            harness.processElement(new KafkaInput(bytes("7"), withHugeKey), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            DeadLetter letter = harness.getSideOutput(Descriptors.DEAD_LETTERS).peek().getValue();
            assertThat(letter.value).isEqualTo(bytes("7"));
            assertThat(letter.origin.key).isNull();
            assertThat(letter.origin.offset).isEqualTo(9);
            assertThat(letter.reason).startsWith("key longer than 16384 bytes");
        }
    }

    private static KafkaInput input(String value, long offset) {
        return new KafkaInput(bytes(value), origin(offset));
    }

    private static RecordOrigin origin(long offset) {
        return new RecordOrigin("s0", 1, offset, 1_000 + offset, bytes("key-" + offset));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static OneInputStreamOperatorTestHarness<KafkaInput, InputRecord> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new ParseKafkaRecord(InputFormat.INT));
    }
}
