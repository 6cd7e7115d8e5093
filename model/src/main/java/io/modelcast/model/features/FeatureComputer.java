package io.modelcast.model.features;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Computes a {@link FeatureSpec}'s features, one event at a time, from a key's {@link KeyHistories}:
 * the one implementation the job runs in keyed state and the fitter runs offline, so both compute the
 * same values. An event goes into its key's histories in event-time order (after events of the same
 * time) and its features are computed from what the histories then hold up to its time; events may
 * come up to {@code latenessMillis} behind the newest of their key. Offline, events are taken in
 * event-time order ({@link #offline}); a stream in event-time order gives the same values online.
 * Thread-safe: it holds only the spec.
 */
public final class FeatureComputer {

    private final FeatureSpec spec;
    private final long latenessMillis;
    private final long fingerprint;
    private final Optional<String> keyField;
    private final String[] identities;

    public FeatureComputer(FeatureSpec spec, long latenessMillis) {
        this.spec = spec;
        this.latenessMillis = latenessMillis;
        this.fingerprint = spec.fingerprint();
        this.keyField = spec.keyField();
        this.identities = KeyHistories.identitiesOf(spec);
    }

    /**
     * {@code histories} ready for this spec: as they are if they were made for it, else carried over
     * ({@link KeyHistories#forSpec}).
     */
    public KeyHistories ready(KeyHistories histories) {
        return histories.fits(identities) ? histories : histories.forSpec(spec);
    }

    /** The spec's {@linkplain FeatureSpec#fingerprint fingerprint}, computed once. */
    public long fingerprint() {
        return fingerprint;
    }

    /** The spec's {@linkplain FeatureSpec#keyField key field}, found once. */
    public Optional<String> keyField() {
        return keyField;
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** What keeps the spec from using an event: a missing or non-numeric field, no key. Empty if none. */
    public Optional<String> problem(Event event) {
        for (FeatureDef feature : spec.features()) {
            if (feature.of() != null && Double.isNaN(event.number(feature.of()))) {
                return Optional.of("feature '" + feature.name() + "' reads '" + feature.of() + "', which the event "
                        + (event.fields().has(feature.of()) ? "has as " + event.fields().get(feature.of()) + ", not a number"
                                : "does not have"));
            }
        }
        if (keyField.isPresent() && event.key(keyField.get()) == null) {
            return Optional.of("the features are by '" + keyField.get() + "', which the event "
                    + (event.fields().has(keyField.get()) ? "has as " + event.fields().get(keyField.get())
                            + ", not a string or whole number" : "does not have"));
        }
        return Optional.empty();
    }

    /** The key of an event's histories: its key field's value, or "" if the spec keys none. */
    public String key(Event event) {
        return keyField.isPresent() ? event.key(keyField.get()) : "";
    }

    /** Empty histories for one key. */
    public KeyHistories newHistories() {
        return new KeyHistories(identities);
    }

    /**
     * Whether an event comes too late to count: more than the allowed lateness behind the newest
     * event its key's histories hold. The features of such an event would differ from those an
     * in-order stream gives (what it should have seen is gone), so the job rejects it.
     */
    public boolean isLate(Event event, KeyHistories histories) {
        return isLate(event.timeMillis(), histories);
    }

    /** As {@link #isLate(Event, KeyHistories)}, for an event of time {@code timeMillis}. */
    public boolean isLate(long timeMillis, KeyHistories histories) {
        long newest = histories.newestMillis();
        return newest != Long.MIN_VALUE && timeMillis < newest - latenessMillis;
    }

    /**
     * What the spec reads of an event, per feature in the spec's order: the field it reads (0 for a
     * feature that reads none). With the event's time, all {@link #compute(long, double[], KeyHistories)}
     * needs: the job reads it where it keys the event, so the event is parsed once.
     */
    public double[] inputs(Event event) {
        List<FeatureDef> features = spec.features();
        double[] inputs = new double[features.size()];
        for (int i = 0; i < inputs.length; i++) {
            String of = features.get(i).of();
            inputs[i] = of == null ? 0 : event.number(of);
        }
        return inputs;
    }

    /** The allowed lateness, in milliseconds. */
    public long latenessMillis() {
        return latenessMillis;
    }

    /**
     * Adds an event to its key's histories and returns its features, in the spec's order.
     *
     * @throws IllegalArgumentException if the histories were made for another spec
     */
    public double[] compute(Event event, KeyHistories histories) {
        return compute(event.timeMillis(), inputs(event), histories);
    }

    /**
     * Adds an event of time {@code timeMillis} whose {@link #inputs} are {@code inputs} to its key's
     * histories and returns its features, in the spec's order.
     *
     * @throws IllegalArgumentException if the histories were made for another spec
     */
    public double[] compute(long timeMillis, double[] inputs, KeyHistories histories) {
        List<FeatureDef> features = spec.features();
        if (!histories.fits(identities)) {
            throw new IllegalArgumentException("histories of " + histories.features() + " features made for another spec;"
                    + " carry them over with forSpec first");
        }
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
            FeatureDef feature = features.get(i);
            double value = inputs[i];
            if (!feature.op().stateful()) {
                values[i] = value;
                continue;
            }
            History history = histories.byFeature[i];
            if (history == null) {
                history = new History();
                histories.byFeature[i] = history;
            }
            int at = history.add(timeMillis, value);
            values[i] = history.compute(feature, at);
            history.evict(feature, latenessMillis);
        }
        return values;
    }

    /**
     * The features of every event, computed as the job computes them for a stream in event-time
     * order: events sorted by time (ties in their order here), each key's histories kept in a map.
     * Events the spec cannot use ({@link #problem}) get null.
     */
    public static List<double[]> offline(FeatureSpec spec, List<Event> events) {
        FeatureComputer computer = new FeatureComputer(spec, 0);
        Map<String, KeyHistories> byKey = new HashMap<>();
        List<double[]> features = new ArrayList<>(java.util.Collections.nCopies(events.size(), null));
        int[] order = IntStream.range(0, events.size()).boxed()
                .sorted(Comparator.comparingLong(i -> events.get(i).timeMillis()))
                .mapToInt(Integer::intValue).toArray();
        for (int i : order) {
            Event event = events.get(i);
            if (computer.problem(event).isEmpty()) {
                features.set(i, computer.compute(event, byKey.computeIfAbsent(computer.key(event), k -> computer.newHistories())));
            }
        }
        return features;
    }
}
