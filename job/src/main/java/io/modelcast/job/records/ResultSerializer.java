package io.modelcast.job.records;

import io.modelcast.job.records.Result.RemoteFailure;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Writes a {@link Result} between tasks. Results are not checkpointed (they leave the job as they
 * are made), but the format is numbered like every serializer's here: format 3 added the features
 * shown, format 2 the model name and role (formats 1 and 2 were never in state, so they are not read).
 */
public final class ResultSerializer extends ImmutableSerializer<Result> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 3;
    public static final ResultSerializer INSTANCE = new ResultSerializer();

    @Override
    public Result createInstance() {
        return Result.output("", "", 0, 0, 0, null);
    }

    @Override
    public void serialize(Result result, DataOutputView target) throws IOException {
        StringValue.writeString(result.input(), target);
        StringValue.writeString(result.id(), target);
        StringValue.writeString(result.output(), target);
        target.writeBoolean(result.score().isPresent());
        if (result.score().isPresent()) {
            target.writeDouble(result.score().getAsDouble());
        }
        target.writeLong(result.modelVersion());
        target.writeLong(result.modelAgeMs());
        target.writeInt(result.subtask());
        RecordOriginFormat.write(result.origin(), target);
        target.writeBoolean(result.fallbackFrom().isPresent());
        if (result.fallbackFrom().isPresent()) {
            target.writeLong(result.fallbackFrom().get().version());
            StringValue.writeString(result.fallbackFrom().get().reason(), target);
        }
        StringValue.writeString(result.model(), target);
        target.writeByte(result.role().ordinal());
        StringValue.writeString(result.features(), target);
    }

    @Override
    public Result deserialize(DataInputView source) throws IOException {
        String input = StringValue.readString(source);
        String id = StringValue.readString(source);
        String output = StringValue.readString(source);
        OptionalDouble score = source.readBoolean() ? OptionalDouble.of(source.readDouble()) : OptionalDouble.empty();
        long modelVersion = source.readLong();
        long modelAgeMs = source.readLong();
        int subtask = source.readInt();
        RecordOrigin origin = RecordOriginFormat.read(source);
        Optional<RemoteFailure> fallbackFrom = source.readBoolean()
                ? Optional.of(new RemoteFailure(source.readLong(), StringValue.readString(source)))
                : Optional.empty();
        String model = StringValue.readString(source);
        Result.Role role = Result.Role.values()[source.readByte()];
        String features = StringValue.readString(source);
        return new Result(input, id, output, score, modelVersion, modelAgeMs, subtask, origin, fallbackFrom, model, role, features);
    }

    @Override
    public TypeSerializerSnapshot<Result> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 3. */
    public static final class Snapshot extends FormatSnapshot<Result> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<Result> serializerFor(int writtenFormat) {
            return INSTANCE;
        }
    }
}
