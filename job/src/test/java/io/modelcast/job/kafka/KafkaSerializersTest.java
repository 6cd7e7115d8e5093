package io.modelcast.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.records.Result;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class KafkaSerializersTest {

    private final RecordOrigin origin = new RecordOrigin("s0", 2, 41, 1_700_000_000_000L, bytes("k7"));

    @Test
    void aResultKeepsTheInputKeyAndTimestampAndNamesWhereTheInputWasRead() {
        ProducerRecord<byte[], byte[]> record = KafkaSerializers.results("s2")
                .serialize(Result.output("7", "070707", 3, 5012, 1, origin), null, null);

        assertThat(record.topic()).isEqualTo("s2");
        assertThat(record.key()).isEqualTo(bytes("k7"));
        assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(text(record.value())).isEqualTo(
                "{\"input\":\"7\",\"output\":\"070707\",\"model\":\"default\",\"modelVersion\":3,\"modelAgeMs\":5012,\"subtask\":1,"
                        + "\"topic\":\"s0\",\"partition\":2,\"offset\":41}");
    }

    @Test
    void aPreprocessedRecordCarriesTheParsedValue() {
        ProducerRecord<byte[], byte[]> record = KafkaSerializers.preprocessed("s1")
                .serialize(new InputRecord(" 7", 7, origin), null, null);

        assertThat(record.key()).isEqualTo(bytes("k7"));
        assertThat(text(record.value()))
                .isEqualTo("{\"input\":\" 7\",\"value\":7,\"topic\":\"s0\",\"partition\":2,\"offset\":41}");
    }

    @Test
    void aDeadLetterIsTheOriginalRecordWithTheReasonAndOffsetInHeaders() {
        byte[] original = {(byte) 0xC3, (byte) 0x28};

        ProducerRecord<byte[], byte[]> record = KafkaSerializers.deadLetters("dlq")
                .serialize(new DeadLetter(original, "not valid UTF-8", origin), null, null);

        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(record.key()).isEqualTo(bytes("k7"));
        assertThat(record.value()).isEqualTo(original);
        assertThat(header(record, KafkaSerializers.REASON_HEADER)).isEqualTo("not valid UTF-8");
        assertThat(header(record, KafkaSerializers.SOURCE_TOPIC_HEADER)).isEqualTo("s0");
        assertThat(header(record, KafkaSerializers.SOURCE_PARTITION_HEADER)).isEqualTo("2");
        assertThat(header(record, KafkaSerializers.SOURCE_OFFSET_HEADER)).isEqualTo("41");
        assertThat(header(record, KafkaSerializers.SOURCE_TIMESTAMP_HEADER)).isEqualTo("1700000000000");
    }

    @Test
    void anInputWithoutATimestampGivesAResultDatedByTheProducer() {
        RecordOrigin undated = new RecordOrigin("s0", 0, 1, -1, bytes("k"));

        assertThat(KafkaSerializers.results("s2").serialize(Result.output("7", "07", 1, 0, 0, undated), null, null).timestamp())
                .isNull();
        assertThat(KafkaSerializers.deadLetters("dlq").serialize(new DeadLetter(bytes("x"), "not an integer", undated), null, null)
                .timestamp()).isNull();
    }

    @Test
    void aDeadLetterKeepsAtMostTheLimitOfTheValueAndSaysHowLongItWas() {
        byte[] huge = new byte[KafkaSerializers.MAX_DEAD_LETTER_BYTES + 10];

        ProducerRecord<byte[], byte[]> record = KafkaSerializers.deadLetters("dlq")
                .serialize(new DeadLetter(huge, "longer than 64 bytes", origin), null, null);

        assertThat(record.value()).hasSize(KafkaSerializers.MAX_DEAD_LETTER_BYTES);
        assertThat(header(record, KafkaSerializers.ORIGINAL_LENGTH_HEADER)).isEqualTo(Integer.toString(huge.length));
        assertThat(KafkaSerializers.deadLetters("dlq").serialize(new DeadLetter(bytes("x"), "r", origin), null, null)
                .headers().lastHeader(KafkaSerializers.ORIGINAL_LENGTH_HEADER)).isNull();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return text(record.headers().lastHeader(name).value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
