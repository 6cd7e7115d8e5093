package io.modelcast.fitter;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Random;

/**
 * Raw purchase events whose label depends on history: each user has a usual amount (log-normal
 * across users, so an amount alone says little), and an event is labelled 1 when its amount is more
 * than twice the mean of that user's previous ten (5% of labels flipped). A model that sees the
 * user's recent mean — a stateful feature — can tell; one that sees the amount alone cannot. Events
 * come in event-time order, about five a second, as JSON lines: {@code {"id": "e0", "ts": …,
 * "user": "u17", "amount": 23.5, "label": 0}}.
 */
final class SyntheticEvents {

    /** 2026-01-01T00:00:00Z: fixed, so a seed gives the same file every time. */
    static final long START_MILLIS = 1_767_225_600_000L;

    private final Random random;
    private final double[] usual;
    private final Deque<Double>[] previous;

    @SuppressWarnings("unchecked")
    SyntheticEvents(long seed, int users) {
        this.random = new Random(seed);
        this.usual = new double[users];
        this.previous = new Deque[users];
        for (int u = 0; u < users; u++) {
            usual[u] = Math.exp(3 + 0.8 * random.nextGaussian());
            previous[u] = new ArrayDeque<>();
        }
    }

    void write(Writer out, int events) throws IOException {
        long time = START_MILLIS;
        for (int i = 0; i < events; i++) {
            time += 1 + (long) (-Math.log(1 - random.nextDouble()) * 200);
            int user = random.nextInt(usual.length);
            boolean unusual = random.nextDouble() < 0.15;
            double amount = usual[user] * (unusual ? 2.5 + 2.5 * random.nextDouble() : Math.exp(0.3 * random.nextGaussian()));
            amount = Math.round(amount * 100) / 100.0;
            Deque<Double> history = previous[user];
            double mean = history.isEmpty() ? usual[user] : history.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            int label = amount > 2 * mean ? 1 : 0;
            if (random.nextDouble() < 0.05) {
                label = 1 - label;
            }
            history.addLast(amount);
            if (history.size() > 10) {
                history.removeFirst();
            }
            out.write(String.format(Locale.ROOT, "{\"id\":\"e%d\",\"ts\":%d,\"user\":\"u%d\",\"amount\":%.2f,\"label\":%d}%n",
                    i, time, user, amount, label));
        }
    }
}
