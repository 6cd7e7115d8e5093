package io.modelcast.model.rollout;

import java.util.Locale;

/**
 * Decides a rollout from a report and the challenger's policy: retire the challenger as soon as a
 * bound is broken — it was suspended by a subtask, its error rate is above {@code maxErrorRate} or
 * its score shift above {@code maxScoreShift}, judged once it has scored {@link #minEvidence}
 * records — and promote it once it has scored {@code promoteAfter} records within every bound.
 * Stateless: the same report and policy always give the same decision.
 */
public final class RolloutJudge {

    /** Fewer records than this (or than {@code promoteAfter}, if smaller) are too few to break a bound on. */
    public static final long MIN_EVIDENCE = 100;

    private RolloutJudge() {}

    /** What to do, and the figures that made the decision, in words. */
    public record Decision(Verdict verdict, String reason) {}

    public enum Verdict { WAIT, PROMOTE, RETIRE }

    public static long minEvidence(Rollout.Policy policy) {
        return Math.min(MIN_EVIDENCE, policy.promoteAfter());
    }

    /** The decision on {@code report} of challenger {@code challengerVersion} under {@code policy}. */
    public static Decision decide(RolloutReport report, long challengerVersion, Rollout.Policy policy) {
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
        if (report.challengerRecords() >= policy.promoteAfter()) {
            return new Decision(Verdict.PROMOTE, "policy met after " + policy.promoteAfter() + " records: " + figures);
        }
        return new Decision(Verdict.WAIT, "not yet " + policy.promoteAfter() + " records: " + figures);
    }
}
