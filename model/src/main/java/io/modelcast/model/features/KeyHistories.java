package io.modelcast.model.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One key's histories, one per stateful feature of a spec (null for {@code value} features): what
 * the job keeps in keyed state and the fitter in a map while it computes features offline. Written
 * and read in a versioned binary form (version 1: the feature count, then per feature a presence
 * flag and its history). Not thread-safe.
 */
public final class KeyHistories {

    static final int FORMAT_VERSION = 1;

    final History[] byFeature;

    KeyHistories(int features) {
        this.byFeature = new History[features];
    }

    /** How many events the histories hold together: the state's size, in events. */
    public int events() {
        int events = 0;
        for (History history : byFeature) {
            events += history == null ? 0 : history.size();
        }
        return events;
    }

    /** How many features it has histories for (the spec it was made for). */
    public int features() {
        return byFeature.length;
    }

    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(byFeature.length);
        for (History history : byFeature) {
            out.writeBoolean(history != null);
            if (history != null) {
                history.write(out);
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
        KeyHistories histories = new KeyHistories(features);
        for (int i = 0; i < features; i++) {
            if (in.readBoolean()) {
                histories.byFeature[i] = History.read(in);
            }
        }
        return histories;
    }
}
