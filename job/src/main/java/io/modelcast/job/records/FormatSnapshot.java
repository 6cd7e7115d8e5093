package io.modelcast.job.records;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * The snapshot of an {@link ImmutableSerializer}: it records the wire format the state was written
 * in, so a later build can still read it. A new build that changes a format raises its number,
 * keeps reading the old one in {@link #serializerFor}, and Flink migrates the state on restore
 * (operator and broadcast state are read whole, then written in the new format).
 *
 * <p>Snapshots of builds from before formats were numbered are other classes; {@link #legacyFormat}
 * says which format each of them stands for.
 */
public abstract class FormatSnapshot<T> implements TypeSerializerSnapshot<T> {

    /** The layout of the snapshot itself (one int: the wire format). */
    private static final int SNAPSHOT_VERSION = 1;

    /** The wire format this build writes. */
    private final int currentFormat;

    /** The wire format of the state this snapshot describes. */
    private int format;

    /** @param currentFormat the wire format this build writes */
    protected FormatSnapshot(int currentFormat) {
        this.currentFormat = currentFormat;
        this.format = currentFormat;
    }

    /** A serializer that reads {@code writtenFormat} (and writes the current one). */
    protected abstract TypeSerializer<T> serializerFor(int writtenFormat);

    /** The wire format written under {@code old}, a snapshot class of an earlier build, if it is one. */
    protected OptionalInt legacyFormat(TypeSerializerSnapshot<T> old) {
        return OptionalInt.empty();
    }

    /** The wire format of the state this snapshot describes. */
    public final int format() {
        return format;
    }

    @Override
    public final int getCurrentVersion() {
        return SNAPSHOT_VERSION;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(format);
    }

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != SNAPSHOT_VERSION) {
            throw new IOException(getClass().getSimpleName() + " version " + readVersion + " is unknown to this build");
        }
        format = in.readInt();
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        return serializerFor(format);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        OptionalInt written = old.getClass() == getClass()
                ? OptionalInt.of(((FormatSnapshot<T>) old).format)
                : legacyFormat(old);
        if (written.isEmpty() || written.getAsInt() > currentFormat) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return written.getAsInt() == currentFormat
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
}
