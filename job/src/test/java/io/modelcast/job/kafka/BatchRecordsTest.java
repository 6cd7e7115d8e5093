package io.modelcast.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The Kafka path's batching step: full batches, timed-out batches, batches cut at barriers and at the end. */
class BatchRecordsTest {

    private static OneInputStreamOperatorTestHarness<InputRecord, InputBatch> open(int size, Duration timeout)
            throws Exception {
        OneInputStreamOperatorTestHarness<InputRecord, InputBatch> harness =
                new OneInputStreamOperatorTestHarness<>(new BatchRecords(size, timeout));
        harness.setProcessingTime(0);
        harness.open();
        return harness;
    }

    private static InputRecord record(int n) {
        RecordOrigin origin = new RecordOrigin("s0", n % 2, n, 1_000L + n, ("k" + n).getBytes(StandardCharsets.UTF_8));
        return InputRecord.features(n + ",0.5", new float[] {n, 0.5f}, "id-" + n, origin);
    }

    private static void add(OneInputStreamOperatorTestHarness<InputRecord, InputBatch> harness, int from, int to)
            throws Exception {
        for (int n = from; n < to; n++) {
            harness.processElement(new StreamRecord<>(record(n)));
        }
    }

    private static List<Integer> sizes(OneInputStreamOperatorTestHarness<InputRecord, InputBatch> harness) {
        return harness.extractOutputValues().stream().map(InputBatch::size).toList();
    }

    private static List<InputRecord> records(OneInputStreamOperatorTestHarness<InputRecord, InputBatch> harness) {
        return harness.extractOutputValues().stream().flatMap(batch -> batch.records().stream()).toList();
    }

    @Test
    void fullBatchesGoOutAtOnceAndKeepEveryFieldInOrder() throws Exception {
        try (var harness = open(3, Duration.ofMillis(10))) {
            add(harness, 0, 7);

            assertThat(sizes(harness)).containsExactly(3, 3);
            assertThat(harness.getProcessingTimeService().getNumActiveTimers())
                    .as("timers left: the full batches cancelled theirs; only the pending one's remains").isEqualTo(1);
            List<InputRecord> out = records(harness);
            for (int n = 0; n < 6; n++) {
                InputRecord expected = record(n);
                assertThat(out.get(n).text).isEqualTo(expected.text);
                assertThat(out.get(n).features).containsExactly(expected.features);
                assertThat(out.get(n).id).isEqualTo(expected.id);
                assertThat(out.get(n).origin.offset).isEqualTo(n);
                assertThat(out.get(n).origin.timestamp).isEqualTo(1_000L + n);
                assertThat(out.get(n).origin.key).isEqualTo(expected.origin.key);
            }
        }
    }

    @Test
    void aPartBatchGoesOutWhenItsFirstRecordHasWaitedTheTimeout() throws Exception {
        try (var harness = open(64, Duration.ofMillis(10))) {
            add(harness, 0, 5);
            harness.setProcessingTime(9);
            assertThat(sizes(harness)).isEmpty();

            harness.setProcessingTime(10);
            assertThat(sizes(harness)).containsExactly(5);
        }
    }

    @Test
    void aTimerOfAnEarlierBatchDoesNotCutTheNextOneShort() throws Exception {
        try (var harness = open(3, Duration.ofMillis(10))) {
            add(harness, 0, 3); // full at t=0; its timer would fire at t=10
            harness.setProcessingTime(5);
            add(harness, 3, 4); // the next batch starts at t=5: due at t=15
            harness.setProcessingTime(10);
            assertThat(sizes(harness)).containsExactly(3);

            harness.setProcessingTime(15);
            assertThat(sizes(harness)).containsExactly(3, 1);
        }
    }

    @Test
    void everyRecordTakenBeforeABarrierGoesOutBeforeIt() throws Exception {
        try (var harness = open(64, Duration.ofMinutes(1))) {
            add(harness, 0, 5);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(sizes(harness)).containsExactly(5);

            add(harness, 5, 6);
            harness.prepareSnapshotPreBarrier(2);
            harness.prepareSnapshotPreBarrier(3); // nothing pending: no empty batch
            assertThat(sizes(harness)).containsExactly(5, 1);
        }
    }

    @Test
    void theLastPartBatchGoesOutAtTheEndOfInput() throws Exception {
        try (var harness = open(64, Duration.ofMinutes(1))) {
            add(harness, 0, 2);
            harness.getOneInputOperator().finish();
            assertThat(sizes(harness)).containsExactly(2);
            assertThat(records(harness)).extracting(r -> r.origin.offset).containsExactly(0L, 1L);
        }
    }

    @Test
    void aZeroTimeoutOrABatchSizeOfOneSendsEveryRecordAlone() throws Exception {
        try (var harness = open(64, Duration.ZERO)) {
            add(harness, 0, 3);
            assertThat(sizes(harness)).containsExactly(1, 1, 1);
        }
        try (var harness = open(1, Duration.ofSeconds(1))) {
            add(harness, 0, 2);
            assertThat(sizes(harness)).containsExactly(1, 1);
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new BatchRecords(0, Duration.ofMillis(1))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new BatchRecords(1, Duration.ofMillis(-1))).hasMessageContaining("negative");
    }
}
