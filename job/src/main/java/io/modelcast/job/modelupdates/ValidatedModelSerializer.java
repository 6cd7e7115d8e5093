package io.modelcast.job.modelupdates;

import io.modelcast.job.records.FormatSnapshot;
import io.modelcast.job.records.ImmutableSerializer;
import io.modelcast.job.records.SerializerTypeInfo;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link ValidatedModel}: version, type, time, source, the binary form's length and bytes,
 * then the fallback, if any, the same way. Kept in broadcast state, so its format is numbered
 * (format 1).
 */
public final class ValidatedModelSerializer extends ImmutableSerializer<ValidatedModel> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;
    public static final ValidatedModelSerializer INSTANCE = new ValidatedModelSerializer();

    @Override
    public ValidatedModel createInstance() {
        return new ValidatedModel(0, "", 0, "", new byte[0]);
    }

    @Override
    public void serialize(ValidatedModel model, DataOutputView target) throws IOException {
        writeOne(model, target);
        target.writeBoolean(model.fallback().isPresent());
        if (model.fallback().isPresent()) {
            writeOne(model.fallback().get(), target);
        }
    }

    @Override
    public ValidatedModel deserialize(DataInputView source) throws IOException {
        ValidatedModel model = readOne(source);
        return source.readBoolean() ? model.withFallback(readOne(source)) : model;
    }

    private static void writeOne(ValidatedModel model, DataOutputView target) throws IOException {
        target.writeLong(model.version());
        target.writeUTF(model.type());
        target.writeLong(model.createdAtMillis());
        target.writeUTF(model.source());
        target.writeInt(model.binary().length);
        target.write(model.binary());
    }

    private static ValidatedModel readOne(DataInputView source) throws IOException {
        long version = source.readLong();
        String type = source.readUTF();
        long createdAt = source.readLong();
        String path = source.readUTF();
        byte[] binary = new byte[source.readInt()];
        source.readFully(binary);
        return new ValidatedModel(version, type, createdAt, path, binary, Optional.empty());
    }

    @Override
    public TypeSerializerSnapshot<ValidatedModel> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1 is the only one. */
    public static final class Snapshot extends FormatSnapshot<ValidatedModel> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<ValidatedModel> serializerFor(int writtenFormat) {
            return INSTANCE;
        }
    }

    /** Flink type information: this serializer. */
    public static final class Info extends TypeInfoFactory<ValidatedModel> {
        @Override
        public TypeInformation<ValidatedModel> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(ValidatedModel.class, INSTANCE);
        }
    }
}
