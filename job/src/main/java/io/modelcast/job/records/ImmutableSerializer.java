package io.modelcast.job.records;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The base of this job's hand-written serializers, for immutable record types: copies are the
 * records themselves, and a record is always read anew. A subclass writes and reads the current
 * wire format and names its {@link FormatSnapshot}; one that has changed its format keeps reading
 * the older ones through instances made for them ({@link #readFormat}).
 */
public abstract class ImmutableSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    /** The wire format this instance reads; every instance writes the current one. */
    protected final int readFormat;

    /** A serializer of the current format (the only one, for serializers that never changed theirs). */
    protected ImmutableSerializer() {
        this(0);
    }

    /** A serializer that reads {@code readFormat}. */
    protected ImmutableSerializer(int readFormat) {
        this.readFormat = readFormat;
    }

    /** Instances are equal when they read the same format. */
    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ImmutableSerializer<?>) o).readFormat == readFormat;
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode() * 31 + readFormat;
    }

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }
}
