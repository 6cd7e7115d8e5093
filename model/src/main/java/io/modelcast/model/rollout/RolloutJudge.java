package io.modelcast.model.rollout;

import java.util.Locale;

/**
 * Decides a rollout from a report and the challenger's policy: retire the challenger as soon as a
 * bound is broken — it was suspended by a subtask, its error rate is above {@code maxErrorRate} or
 * its score shift above {@code maxScoreShift}, judged once it has scored {@link #minEvidence}
 * records; its AUC below {@code minAuc} or its log-loss above {@code maxLogLoss}, judged once that
 * many of its records are labelled — and promote it once it has scored {@code promoteAfter} records
 * within every bound (with evaluation bounds, once that many are labelled too). Stateless: the same
 * report, evidence and policy always give the same decision.
 */
public final class RolloutJudge {

    /** Fewer records than this (or than {@code promoteAfter}, if smaller) are too few to break a bound on. */
    public static final long MIN_EVIDENCE = 100;

    private RolloutJudge() {}

    private static String evaluationBounds(Rollout.Policy policy) {
        StringBuilder bounds = new StringBuilder(" (bounds:");
        policy.minAuc().ifPresent(b -> bounds.append(String.format(Locale.ROOT, " AUC >= %.4f", b)));
        policy.maxLogLoss().ifPresent(b -> bounds.append(String.format(Locale.ROOT, " log-loss <= %.4f", b)));
        return bounds.append(')').toString();
    }

    /** What to do, and the figures that made the decision, in words. */
    public record Decision(Verdict verdict, String reason) {}

    public enum Verdict { WAIT, PROMOTE, RETIRE }

    public static long minEvidence(Rollout.Policy policy) {
        return Math.min(MIN_EVIDENCE, policy.promoteAfter());
    }

    /** The decision on {@code report} of challenger {@code challengerVersion} under {@code policy}, without labels. */
    public static Decision decide(RolloutReport report, long challengerVersion, Rollout.Policy policy) {
        return decide(report, new EvaluationEvidence(report.model(), challengerVersion), policy);
    }

    /**
     * The decision on {@code report} and what labels said of the challenger ({@code evidence}, of
     * its version) under {@code policy}.
     */
    public static Decision decide(RolloutReport report, EvaluationEvidence evidence, Rollout.Policy policy) {
        long challengerVersion = evidence.version();
        if (report.challenger() != challengerVersion) {
            return new Decision(Verdict.WAIT, "the report is of challenger version " + report.challenger()
                    + ", not " + challengerVersion);
        }
        String figures = String.format(Locale.ROOT, "%d records, error rate %.4f (bound %.4f), score shift %s (bound %.4f)",
                report.challengerRecords(), report.challengerErrorRate(), policy.maxErrorRate(),
                Double.isNaN(report.scoreShift()) ? "n/a" : String.format(Locale.ROOT, "%.4f", report.scoreShift()),
                policy.maxScoreShift());
        if (report.suspended()) {
            return new Decision(Verdict.RETIRE, "a scoring subtask suspended it (it failed on most records): " + figures);
        }
        if (report.challengerRecords() >= minEvidence(policy)) {
            if (report.challengerErrorRate() > policy.maxErrorRate()) {
                return new Decision(Verdict.RETIRE, "its error rate is above the bound: " + figures);
            }
            if (report.scoreShift() > policy.maxScoreShift()) {
                return new Decision(Verdict.RETIRE, "its scores shifted beyond the bound: " + figures);
            }
        }
        if (policy.boundsEvaluation()) {
            String labels = "labels: " + evidence + evaluationBounds(policy);
            figures = figures + "; " + labels;
            if (evidence.labelled() >= minEvidence(policy)) {
                if (policy.minAuc().isPresent() && evidence.auc() < policy.minAuc().getAsDouble()) {
                    return new Decision(Verdict.RETIRE, "its AUC on labelled records is below the bound: " + figures);
                }
                if (policy.maxLogLoss().isPresent() && evidence.logLoss() > policy.maxLogLoss().getAsDouble()) {
                    return new Decision(Verdict.RETIRE, "its log-loss on labelled records is above the bound: " + figures);
                }
            }
            if (report.challengerRecords() >= policy.promoteAfter() && evidence.labelled() < policy.promoteAfter()) {
                return new Decision(Verdict.WAIT, "not yet " + policy.promoteAfter() + " labelled records: " + figures);
            }
            if (policy.minAuc().isPresent() && report.challengerRecords() >= policy.promoteAfter() && Double.isNaN(evidence.auc())) {
                return new Decision(Verdict.WAIT, "no AUC yet (labels of one kind only): " + figures);
            }
        }
        if (report.challengerRecords() >= policy.promoteAfter()) {
            return new Decision(Verdict.PROMOTE, "policy met after " + policy.promoteAfter() + " records: " + figures);
        }
        return new Decision(Verdict.WAIT, "not yet " + policy.promoteAfter() + " records: " + figures);
    }
}
