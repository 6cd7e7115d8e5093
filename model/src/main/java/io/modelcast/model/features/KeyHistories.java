package io.modelcast.model.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One key's histories, one per stateful feature of a spec (null for {@code value} features): what
 * the job keeps in keyed state and the fitter in a map while it computes features offline. Each
 * history is labelled with what determines its content ({@link #identity}: op, field, key and
 * bounds), so histories made for one spec can be carried to the next ({@link #forSpec}): those of
 * features the new spec still computes the same way are kept, the rest dropped.
 *
 * <p>Written and read in a versioned binary form. Format 2: the feature count, then per feature a
 * presence flag and, if present, its identity and its history. (Format 1, without identities, was
 * never kept in job state, so it is not read.) Not thread-safe.
 */
public final class KeyHistories {

    static final int FORMAT_VERSION = 2;

    final History[] byFeature;
    /** Per feature, what its history holds (null for {@code value} features); never changed, so shared. */
    private String[] identities;

    KeyHistories(String[] identities) {
        this.byFeature = new History[identities.length];
        this.identities = identities;
    }

    /** Per feature of {@code spec}, what its history holds ({@link #identity}), or null for a {@code value} feature. */
    static String[] identitiesOf(FeatureSpec spec) {
        List<FeatureDef> features = spec.features();
        String[] identities = new String[features.size()];
        for (int i = 0; i < identities.length; i++) {
            identities[i] = features.get(i).op().stateful() ? identity(features.get(i)) : null;
        }
        return identities;
    }


    /**
     * What a feature's history holds depends on: its op, the field it reads, its key field and its
     * bounds — not its name or its value when there is no previous event.
     */
    static String identity(FeatureDef feature) {
        return feature.op().label() + "|" + feature.of() + "|" + feature.by() + "|" + feature.last() + "|" + feature.windowMillis();
    }

    /** Whether these are histories for {@code spec}'s features, as {@link FeatureComputer#compute} needs. */
    public boolean fits(FeatureSpec spec) {
        return fits(identitiesOf(spec));
    }

    /**
     * Whether these histories hold what {@code expected} says: at once when they were made for the
     * same array; when equal ones (read back from state, say), they take {@code expected}'s, so the
     * next check is at once too.
     */
    boolean fits(String[] expected) {
        if (identities == expected) {
            return true;
        }
        if (!Arrays.equals(identities, expected)) {
            return false;
        }
        identities = expected;
        return true;
    }

    /**
     * These histories carried to {@code spec}: a feature it computes exactly as a feature here did
     * keeps that history; the others start empty, and histories of features it no longer computes
     * are dropped.
     */
    public KeyHistories forSpec(FeatureSpec spec) {
        Map<String, History> kept = new HashMap<>();
        for (int i = 0; i < identities.length; i++) {
            if (identities[i] != null && byFeature[i] != null) {
                kept.put(identities[i], byFeature[i]);
            }
        }
        KeyHistories carried = new KeyHistories(identitiesOf(spec));
        for (int i = 0; i < carried.identities.length; i++) {
            if (carried.identities[i] != null) {
                carried.byFeature[i] = kept.get(carried.identities[i]);
            }
        }
        return carried;
    }

    /** A copy that shares nothing with these histories (for a state backend that copies on write). */
    public KeyHistories copy() {
        KeyHistories copy = new KeyHistories(identities);
        for (int i = 0; i < byFeature.length; i++) {
            copy.byFeature[i] = byFeature[i] == null ? null : byFeature[i].copy();
        }
        return copy;
    }

    /** How many events the histories hold together: the state's size, in events. */
    public int events() {
        int events = 0;
        for (History history : byFeature) {
            events += history == null ? 0 : history.size();
        }
        return events;
    }

    /** The time of the newest event the histories hold; {@link Long#MIN_VALUE} if they hold none. */
    public long newestMillis() {
        long newest = Long.MIN_VALUE;
        for (History history : byFeature) {
            if (history != null && history.size() > 0) {
                newest = Math.max(newest, history.newest());
            }
        }
        return newest;
    }

    /** How many features it has histories for (the spec it was made for). */
    public int features() {
        return byFeature.length;
    }

    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(byFeature.length);
        for (int i = 0; i < byFeature.length; i++) {
            out.writeBoolean(byFeature[i] != null);
            if (byFeature[i] != null) {
                out.writeUTF(identities[i]);
                byFeature[i].write(out);
            }
        }
    }

    public static KeyHistories read(DataInput in) throws IOException {
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("feature histories of format " + version + "; this build reads format " + FORMAT_VERSION);
        }
        int features = in.readInt();
        if (features < 0 || features > FeatureSpec.MAX_FEATURES) {
            throw new IOException("feature histories of " + features + " features are not ones this build wrote");
        }
        String[] identities = new String[features];
        History[] byFeature = new History[features];
        for (int i = 0; i < features; i++) {
            if (in.readBoolean()) {
                identities[i] = in.readUTF();
                byFeature[i] = History.read(in);
            }
        }
        KeyHistories histories = new KeyHistories(identities);
        System.arraycopy(byFeature, 0, histories.byFeature, 0, features);
        return histories;
    }
}
