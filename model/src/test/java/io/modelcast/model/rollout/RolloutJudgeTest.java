package io.modelcast.model.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.rollout.RolloutJudge.Verdict;

import org.junit.jupiter.api.Test;

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
