package io.modelcast.job.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The label join, in an operator harness with processing time in the test's hands: a wait of 10 s. */
class JoinLabelsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Label, LabelledPrediction> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new JoinLabels(WAIT), p -> p.id, l -> l.id, Types.STRING);
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aLateLabelWithinTheWaitJudgesItsPrediction() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r-1", 0.8)));
        harness.setProcessingTime(9_000);
        harness.processElement2(new StreamRecord<>(label("r-1", 0)));

        assertThat(harness.extractOutputValues()).containsExactly(new LabelledPrediction(prediction("r-1", 0.8), 0));
        assertThat(unmatched()).isEmpty();
    }

    @Test
    void aLabelThatArrivesFirstWaitsForItsPrediction() throws Exception {
        harness.processElement2(new StreamRecord<>(label("r-2", 1)));
        harness.setProcessingTime(5_000);
        harness.processElement1(new StreamRecord<>(prediction("r-2", 0.3)));

        assertThat(harness.extractOutputValues()).containsExactly(new LabelledPrediction(prediction("r-2", 0.3), 1));
    }

    @Test
    void aSecondLabelIsADuplicateAtOnce() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r-3", 0.6)));
        harness.processElement2(new StreamRecord<>(label("r-3", 1)));
        harness.processElement2(new StreamRecord<>(label("r-3", 0)));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(unmatched()).singleElement().satisfies(r -> {
            assertThat(r.reason).startsWith(JoinLabels.DUPLICATE).contains("r-3");
            assertThat(r.input).isEqualTo("r-3,0");
        });
    }

    @Test
    void aLabelForAnUnknownIdGoesToTheSideOutputWhenItsWaitEnds() throws Exception {
        harness.processElement2(new StreamRecord<>(label("nobody", 1)));
        harness.setProcessingTime(9_999);
        assertThat(unmatched()).isEmpty();
        harness.setProcessingTime(10_000);

        assertThat(unmatched()).singleElement().satisfies(r -> assertThat(r.reason).startsWith(JoinLabels.UNMATCHED_LABEL)
                .contains("nobody").contains("--label-wait"));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aLabelAfterItsPredictionsWaitIsUnmatchedAndStateIsGoneAfterEveryWait() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r-4", 0.9)));
        harness.setProcessingTime(10_000);
        assertThat(harness.numKeyedStateEntries()).as("the prediction's wait ended").isZero();
        harness.processElement2(new StreamRecord<>(label("r-4", 1)));
        harness.setProcessingTime(20_000);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(unmatched()).singleElement().satisfies(r -> assertThat(r.reason).startsWith(JoinLabels.UNMATCHED_LABEL));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void joinedIdsKeepOnlyTheirDuplicateGuardUntilTheWaitEnds() throws Exception {
        for (int i = 0; i < 100; i++) {
            harness.processElement1(new StreamRecord<>(prediction("id-" + i, i / 100.0)));
            harness.processElement2(new StreamRecord<>(label("id-" + i, i % 2)));
        }
        assertThat(harness.extractOutputValues()).hasSize(100);
        harness.setProcessingTime(WAIT.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateAfterAMillionLabelledRecordsHoldsOnlyTheLastWait() throws Exception {
        // 1,000,000 records over 100 s of processing time, each labelled 200 ms after its prediction,
        // with a wait of 1 s: the checkpoint holds the ids of the last wait at most, not of every record.
        harness.close();
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new JoinLabels(Duration.ofSeconds(1)), p -> p.id,
                l -> l.id, Types.STRING);
        harness.setProcessingTime(0);
        int records = 1_000_000;
        int perMilli = records / 100_000;
        int labelDelay = 200 * perMilli;
        long checkpointBytesAtTenSeconds = 0;
        for (int i = 0; i < records; i++) {
            long now = i / perMilli;
            if (now != harness.getProcessingTime()) {
                harness.setProcessingTime(now);
            }
            harness.processElement1(new StreamRecord<>(prediction("id-" + i, 0.5)));
            if (i >= labelDelay) {
                harness.processElement2(new StreamRecord<>(label("id-" + (i - labelDelay), 1)));
            }
            if (i == 10_000 * perMilli) {
                checkpointBytesAtTenSeconds = harness.snapshot(1, now).getStateSize();
            }
        }
        long checkpointBytesAtTheEnd = harness.snapshot(2, harness.getProcessingTime()).getStateSize();
        System.out.printf("[labels] join state (wait 1 s, 10,000 records/s) after 10 s: %d B; after %d records: %d B,"
                + " %d keyed entries%n", checkpointBytesAtTenSeconds, records, checkpointBytesAtTheEnd,
                harness.numKeyedStateEntries());

        assertThat(harness.extractOutputValues()).hasSize(records - labelDelay);
        assertThat(checkpointBytesAtTheEnd).as("bounded by the wait, not the records")
                .isLessThan(checkpointBytesAtTenSeconds * 3 / 2);
        assertThat(harness.numKeyedStateEntries()).as("ids of one wait, a few entries each").isLessThanOrEqualTo(4 * 1_000 * perMilli);
    }

    private List<RejectedRecord> unmatched() {
        return harness.getSideOutput(JoinLabels.UNMATCHED) == null ? List.of()
                : harness.getSideOutput(JoinLabels.UNMATCHED).stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static Prediction prediction(String id, double score) {
        return new Prediction(id, "fraud", 3, "only", score, score >= 0.5 ? 1 : 0);
    }

    private static Label label(String id, int label) {
        return new Label(id, label, id + "," + label, null);
    }
}
