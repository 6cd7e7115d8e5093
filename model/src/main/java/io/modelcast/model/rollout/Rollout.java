package io.modelcast.model.rollout;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How a challenger is rolled out beside its name's champion, as its model file says: in {@link
 * Mode#SHADOW} it scores every record as well, its results going to the shadow output only; in
 * {@link Mode#CANARY} it scores {@link #percent} of the records (chosen by a stable hash of each
 * record's id) in the champion's place. A model file without a rollout is a champion.
 *
 * @param mode shadow or canary
 * @param percent for a canary, the share of records it scores, above 0 and at most 100; 100 for a shadow
 * @param challenges the champion version this challenger was published against
 * @param policy when the challenger is promoted or retired
 */
public record Rollout(Mode mode, double percent, long challenges, Policy policy) {

    /** How a challenger takes part. */
    public enum Mode {
        SHADOW,
        CANARY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Rollout {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(policy, "policy");
        if (mode == Mode.CANARY && !(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("a canary's percentage must be above 0 and at most 100, was " + percent);
        }
        if (mode == Mode.SHADOW && percent != 100) {
            throw new IllegalArgumentException("a shadow challenger scores every record (100 %), not " + percent);
        }
        if (challenges < 1) {
            throw new IllegalArgumentException("a challenger challenges a champion version (at least 1), was " + challenges);
        }
    }

    /** A shadow challenger of champion version {@code challenges}. */
    public static Rollout shadow(long challenges, Policy policy) {
        return new Rollout(Mode.SHADOW, 100, challenges, policy);
    }

    /** A canary scoring {@code percent} of the records in place of champion version {@code challenges}. */
    public static Rollout canary(double percent, long challenges, Policy policy) {
        return new Rollout(Mode.CANARY, percent, challenges, policy);
    }

    /** This rollout against another champion version. */
    public Rollout against(long champion) {
        return new Rollout(mode, percent, champion, policy);
    }

    /** {@code shadow} or {@code canary:PERCENT}, as the fitter's {@code --rollout} takes it. */
    public String describe() {
        return mode == Mode.SHADOW ? "shadow" : "canary:" + RolloutSpec.formatPercent(percent);
    }

    /**
     * When a challenger is promoted or retired, judged on what the job measured of it: promoted
     * once it has scored {@code promoteAfter} records within every bound; retired as soon as a
     * bound is broken. The evaluation bounds, if set, are judged on the challenger's labelled
     * records (the job's evaluation records, from labels).
     *
     * @param promoteAfter records the challenger must score first, at least 1
     * @param maxErrorRate the highest share of its inputs a challenger may fail on (rejections and model errors), 0 to 1
     * @param maxScoreShift the highest population stability index between the challenger's score histogram and the champion's
     * @param minAuc the lowest AUC of the challenger on its labelled records, 0 to 1, if bounded
     * @param maxLogLoss the highest mean log-loss of the challenger on its labelled records, if bounded
     */
    public record Policy(long promoteAfter, double maxErrorRate, double maxScoreShift, OptionalDouble minAuc,
            OptionalDouble maxLogLoss) {
        public Policy {
            if (promoteAfter < 1) {
                throw new IllegalArgumentException("promoteAfter must be at least 1, was " + promoteAfter);
            }
            if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
                throw new IllegalArgumentException("maxErrorRate must be between 0 and 1, was " + maxErrorRate);
            }
            if (!(maxScoreShift >= 0) || Double.isInfinite(maxScoreShift)) {
                throw new IllegalArgumentException("maxScoreShift must be 0 or more, was " + maxScoreShift);
            }
            Objects.requireNonNull(minAuc, "minAuc");
            Objects.requireNonNull(maxLogLoss, "maxLogLoss");
            if (minAuc.isPresent() && !(minAuc.getAsDouble() >= 0 && minAuc.getAsDouble() <= 1)) {
                throw new IllegalArgumentException("minAuc must be between 0 and 1, was " + minAuc.getAsDouble());
            }
            if (maxLogLoss.isPresent() && (!(maxLogLoss.getAsDouble() >= 0) || Double.isInfinite(maxLogLoss.getAsDouble()))) {
                throw new IllegalArgumentException("maxLogLoss must be 0 or more, was " + maxLogLoss.getAsDouble());
            }
        }

        /** A policy without evaluation bounds. */
        public Policy(long promoteAfter, double maxErrorRate, double maxScoreShift) {
            this(promoteAfter, maxErrorRate, maxScoreShift, OptionalDouble.empty(), OptionalDouble.empty());
        }

        /** Whether the policy bounds what labels say of the challenger. */
        public boolean boundsEvaluation() {
            return minAuc.isPresent() || maxLogLoss.isPresent();
        }
    }
}
