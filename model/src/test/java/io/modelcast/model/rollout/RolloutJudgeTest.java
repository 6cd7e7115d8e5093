package io.modelcast.model.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.model.rollout.RolloutJudge.Verdict;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

/** Report lines as the job writes them, and what the judge makes of them. */
class RolloutJudgeTest {

    private static final Rollout.Policy POLICY = new Rollout.Policy(1000, 0.01, 0.2);

    @Test
    void aReportLineParsesWithOrWithoutThePrefix() {
        String json = "{\"model\":\"fraud\",\"champion\":3,\"challenger\":4,\"subtasks\":4,\"suspended\":false,"
                + "\"challengerRecords\":250,\"challengerErrors\":1,\"challengerErrorRate\":0.004,\"scoreShift\":null}";
        RolloutReport report = RolloutReport.parse("report> " + json).orElseThrow();
        assertThat(report).isEqualTo(new RolloutReport("fraud", 3, 4, false, 250, 0.004, Double.NaN, json));
        assertThat(RolloutReport.parse(json)).isPresent();
        assertThat(RolloutReport.parse("shadow> " + json)).isEmpty();
        assertThat(RolloutReport.parse("INFO something {\"model\":1}")).isEmpty();
        assertThat(RolloutReport.parse("report> {not json")).isEmpty();
    }

    @Test
    void itWaitsPromotesOrRetires() {
        assertThat(decide(4, false, 500, 0, 0.01)).isEqualTo(Verdict.WAIT);
        assertThat(decide(4, false, 1000, 0.005, 0.05)).isEqualTo(Verdict.PROMOTE);
        assertThat(decide(4, false, 200, 0.02, 0.05)).isEqualTo(Verdict.RETIRE);
        assertThat(decide(4, false, 200, 0, 0.3)).isEqualTo(Verdict.RETIRE);
        assertThat(decide(4, true, 5, 0, Double.NaN)).isEqualTo(Verdict.RETIRE);
        assertThat(decide(4, false, 1000, 0, Double.NaN)).as("integer models have no score shift").isEqualTo(Verdict.PROMOTE);
    }

    @Test
    void tooFewRecordsBreakNoBoundAndAStaleReportDecidesNothing() {
        assertThat(decide(4, false, 50, 0.5, 0.9)).isEqualTo(Verdict.WAIT);
        RolloutReport other = new RolloutReport("fraud", 3, 5, true, 5000, 1, 1, "");
        assertThat(RolloutJudge.decide(other, 4, POLICY).verdict()).isEqualTo(Verdict.WAIT);
    }

    @Test
    void evaluationBoundsNeedLabelledRecordsAndRetireOrPromoteOnThem() {
        Rollout.Policy bounded = new Rollout.Policy(1000, 0.01, 0.2, OptionalDouble.of(0.75), OptionalDouble.of(0.5));
        RolloutReport enough = new RolloutReport("fraud", 3, 4, false, 1500, 0.001, 0.01, "");

        EvaluationEvidence none = new EvaluationEvidence("fraud", 4);
        assertThat(RolloutJudge.decide(enough, none, bounded).verdict()).as("no labels yet").isEqualTo(Verdict.WAIT);
        assertThat(RolloutJudge.decide(enough, none, bounded).reason()).contains("not yet 1000 labelled records");

        EvaluationEvidence weak = new EvaluationEvidence("fraud", 4);
        weak.add(new EvaluationRecord("fraud", 4, 150, 0.45, 0.70));
        assertThat(RolloutJudge.decide(enough, weak, bounded).verdict()).isEqualTo(Verdict.RETIRE);
        assertThat(RolloutJudge.decide(enough, weak, bounded).reason()).contains("AUC on labelled records is below the bound")
                .contains("150 labelled, AUC 0.7000");

        EvaluationEvidence lossy = new EvaluationEvidence("fraud", 4);
        lossy.add(new EvaluationRecord("fraud", 4, 600, 0.9, 0.9));
        assertThat(RolloutJudge.decide(enough, lossy, bounded).reason()).startsWith("its log-loss on labelled records is above");

        EvaluationEvidence good = new EvaluationEvidence("fraud", 4);
        good.add(new EvaluationRecord("fraud", 4, 600, 0.40, 0.80));
        assertThat(RolloutJudge.decide(enough, good, bounded).verdict()).as("600 of 1000 labelled").isEqualTo(Verdict.WAIT);
        assertThat(good.add(new EvaluationRecord("fraud", 3, 600, 0.40, 0.80))).as("the champion's records").isFalse();
        good.add(new EvaluationRecord("fraud", 4, 600, 0.30, 0.90));
        assertThat(good.labelled()).isEqualTo(1200);
        assertThat(good.logLoss()).isCloseTo(0.35, within(1e-12));
        assertThat(good.auc()).isCloseTo(0.85, within(1e-12));
        assertThat(RolloutJudge.decide(enough, good, bounded).verdict()).isEqualTo(Verdict.PROMOTE);

        EvaluationEvidence oneLabel = new EvaluationEvidence("fraud", 4);
        oneLabel.add(new EvaluationRecord("fraud", 4, 1200, 0.30, Double.NaN));
        assertThat(RolloutJudge.decide(enough, oneLabel, bounded).reason()).as("labels of one kind give no AUC")
                .startsWith("no AUC yet");
    }

    @Test
    void anEvaluationLineParsesWithOrWithoutThePrefix() {
        String json = "{\"model\":\"fraud\",\"modelVersion\":4,\"role\":\"canary\",\"windowStart\":0,\"windowEnd\":60000,"
                + "\"labelled\":120,\"accuracy\":0.9,\"logLoss\":0.31,\"auc\":null,\"positiveRate\":1.0}";
        EvaluationRecord record = EvaluationRecord.parse("eval> " + json).orElseThrow();
        assertThat(record.labelled()).isEqualTo(120);
        assertThat(record.logLoss()).isEqualTo(0.31);
        assertThat(record.auc()).isNaN();
        assertThat(EvaluationRecord.parse(json)).isPresent();
        assertThat(EvaluationRecord.parse("report> " + json)).isEmpty();
        assertThat(EvaluationRecord.parse("{\"model\":\"fraud\",\"challenger\":4,\"challengerRecords\":3}")).isEmpty();
    }

    @Test
    void theReasonGivesTheFigures() {
        RolloutReport report = new RolloutReport("fraud", 3, 4, false, 1000, 0.002, 0.0123, "");
        assertThat(RolloutJudge.decide(report, 4, POLICY).reason())
                .isEqualTo("policy met after 1000 records: 1000 records, error rate 0.0020 (bound 0.0100), score shift 0.0123 (bound 0.2000)");
    }

    private static Verdict decide(long challenger, boolean suspended, long records, double errorRate, double shift) {
        return RolloutJudge.decide(new RolloutReport("fraud", 3, challenger, suspended, records, errorRate, shift, ""), 4, POLICY)
                .verdict();
    }
}
