package io.modelcast.job.testing;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutJudge;
import io.modelcast.model.rollout.RolloutReport;

import java.time.Duration;
import java.util.Optional;

/** Reads a job's rollout reports as {@code fitter rollout --watch} does, for tests that await the decision. */
public final class RolloutDecisions {

    private RolloutDecisions() {}

    /** The first decision other than waiting that the reports collected so far give the challenger's policy. */
    public static RolloutJudge.Decision await(Collected<String> reports, ModelFile challenger, Duration timeout)
            throws InterruptedException {
        Rollout.Policy policy = challenger.rollout().orElseThrow().policy();
        RolloutJudge.Decision[] decided = new RolloutJudge.Decision[1];
        Await.until("a report decides the rollout", timeout, () -> {
            for (String line : reports.snapshot()) {
                Optional<RolloutReport> report = RolloutReport.parse(line);
                if (report.isPresent()) {
                    RolloutJudge.Decision decision = RolloutJudge.decide(report.get(), challenger.version(), policy);
                    if (decision.verdict() != RolloutJudge.Verdict.WAIT) {
                        decided[0] = decision;
                        return true;
                    }
                }
            }
            return false;
        });
        return decided[0];
    }
}
