package io.modelcast.model.rollout;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The fitter's {@code --rollout} value: {@code shadow} or {@code canary:PERCENT} (PERCENT above 0
 * and at most 100, decimals allowed), without the champion version, which is known only when the
 * challenger is published.
 *
 * @param mode shadow or canary
 * @param percent the canary's share; 100 for a shadow
 */
public record RolloutSpec(Rollout.Mode mode, double percent) {

    /**
     * Parses {@code shadow} or {@code canary:PERCENT}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static RolloutSpec parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("shadow")) {
            return new RolloutSpec(Rollout.Mode.SHADOW, 100);
        }
        if (value.startsWith("canary:")) {
            String number = value.substring("canary:".length()).replace("%", "");
            double percent;
            try {
                percent = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\": the canary percentage must be a number, as in canary:10");
            }
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("\"" + text + "\": the canary percentage must be above 0 and at most 100");
            }
            return new RolloutSpec(Rollout.Mode.CANARY, percent);
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a rollout: use shadow or canary:PERCENT (canary:10, say)");
    }

    /** The rollout of a challenger of champion version {@code champion}. */
    public Rollout against(long champion, Rollout.Policy policy) {
        return new Rollout(mode, percent, champion, policy);
    }

    /** A percentage without a needless ".0". */
    static String formatPercent(double percent) {
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
    }
}
