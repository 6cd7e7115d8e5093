package io.modelcast.job.events;

import io.modelcast.job.records.FormatSnapshot;
import io.modelcast.model.features.KeyHistories;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Writes a key's {@link KeyHistories} in keyed state, in their own versioned binary form. The
 * histories are mutable: on the heap backend the feature step changes them in place and Flink copies
 * them ({@link #copy}) only while a snapshot holds them, so an event costs no serialization there.
 * Format 1 (this snapshot's number) is the binary form, which numbers its own versions.
 */
public final class KeyHistoriesSerializer extends TypeSerializerSingleton<KeyHistories> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;
    public static final KeyHistoriesSerializer INSTANCE = new KeyHistoriesSerializer();

    private KeyHistoriesSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public KeyHistories createInstance() {
        return null;
    }

    @Override
    public KeyHistories copy(KeyHistories from) {
        return from.copy();
    }

    @Override
    public KeyHistories copy(KeyHistories from, KeyHistories reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyHistories histories, DataOutputView target) throws IOException {
        histories.write(target);
    }

    @Override
    public KeyHistories deserialize(DataInputView source) throws IOException {
        return KeyHistories.read(source);
    }

    @Override
    public KeyHistories deserialize(KeyHistories reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<KeyHistories> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1. */
    public static final class Snapshot extends FormatSnapshot<KeyHistories> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<KeyHistories> serializerFor(int writtenFormat) {
            return INSTANCE;
        }
    }
}
