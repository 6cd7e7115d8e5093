package io.modelcast.job.records;

import io.modelcast.model.ModelName;

import io.modelcast.job.records.RemoteRequest.Fallback;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.RemoteRequest.RemoteInput;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Writes the remote calls in flight ({@link RemoteCallInFlight}) as {@link RemoteRequest}s: the
 * pointer, the inputs, then the stand-in's outcomes if any, then the request's purpose. Checkpointed in
 * the async operator's queue, so its format is numbered: format 3 (format 2, before remote challengers,
 * had no purpose and no stand-in age: it was a serving request, its fallback as old as its pointer;
 * format 1, before model names, had no model name either). Builds up to e84b367 checkpointed the queue as
 * {@link RemoteBatch} POJOs (format 0 here); Flink reads those with their own serializer and this
 * one writes them anew at the next checkpoint.
 */
public final class RemoteRequestSerializer extends ImmutableSerializer<RemoteCallInFlight> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 3;
    /** The {@link RemoteBatch} POJOs of earlier builds. */
    static final int LEGACY_POJO_FORMAT = 0;
    public static final RemoteRequestSerializer INSTANCE = new RemoteRequestSerializer(FORMAT);


    private RemoteRequestSerializer(int readFormat) {
        super(readFormat);
    }

    @Override
    public RemoteCallInFlight createInstance() {
        return new RemoteRequest(ModelName.DEFAULT, 0, "{}", RemoteRequest.Kind.INTEGERS, 0, 0,
                List.of(new RemoteInput("", null, null, "[0]")), Optional.empty(), RemoteRequest.Purpose.SERVE);
    }

    @Override
    public void serialize(RemoteCallInFlight inFlight, DataOutputView target) throws IOException {
        RemoteRequest request = inFlight.request();
        StringValue.writeString(request.model(), target);
        target.writeLong(request.modelVersion());
        StringValue.writeString(request.pointer(), target);
        target.writeByte(request.kind().ordinal());
        target.writeLong(request.modelAgeMs());
        target.writeInt(request.subtask());
        target.writeInt(request.inputs().size());
        for (RemoteInput input : request.inputs()) {
            StringValue.writeString(input.text(), target);
            StringValue.writeString(input.id(), target);
            RecordOriginFormat.write(input.origin(), target);
            StringValue.writeString(input.instance(), target);
        }
        target.writeBoolean(request.fallback().isPresent());
        if (request.fallback().isPresent()) {
            target.writeLong(request.fallback().get().version());
            target.writeLong(request.fallback().get().ageMs());
            for (LocalOutcome outcome : request.fallback().get().outcomes()) {
                writeOutcome(outcome, target);
            }
        }
        target.writeByte(request.purpose().ordinal());
    }

    @Override
    public RemoteCallInFlight deserialize(DataInputView source) throws IOException {
        String model = readFormat >= 2 ? StringValue.readString(source) : ModelName.DEFAULT;
        long modelVersion = source.readLong();
        String pointer = StringValue.readString(source);
        RemoteRequest.Kind kind = RemoteRequest.Kind.values()[source.readByte()];
        long modelAgeMs = source.readLong();
        int subtask = source.readInt();
        int size = source.readInt();
        List<RemoteInput> inputs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            inputs.add(new RemoteInput(StringValue.readString(source), StringValue.readString(source),
                    RecordOriginFormat.read(source), StringValue.readString(source)));
        }
        Optional<Fallback> fallback = Optional.empty();
        if (source.readBoolean()) {
            long version = source.readLong();
            long ageMs = readFormat >= 3 ? source.readLong() : modelAgeMs;
            List<LocalOutcome> outcomes = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                outcomes.add(readOutcome(source));
            }
            fallback = Optional.of(new Fallback(version, ageMs, outcomes));
        }
        RemoteRequest.Purpose purpose = readFormat >= 3 ? RemoteRequest.Purpose.values()[source.readByte()] : RemoteRequest.Purpose.SERVE;
        return new RemoteRequest(model, modelVersion, pointer, kind, modelAgeMs, subtask, inputs, fallback, purpose);
    }

    private static void writeOutcome(LocalOutcome outcome, DataOutputView target) throws IOException {
        if (outcome instanceof LocalOutcome.Output output) {
            target.writeBoolean(true);
            StringValue.writeString(output.output(), target);
            target.writeBoolean(output.score().isPresent());
            if (output.score().isPresent()) {
                target.writeDouble(output.score().getAsDouble());
            }
        } else {
            target.writeBoolean(false);
            StringValue.writeString(((LocalOutcome.Failure) outcome).reason(), target);
        }
    }

    private static LocalOutcome readOutcome(DataInputView source) throws IOException {
        if (!source.readBoolean()) {
            return new LocalOutcome.Failure(StringValue.readString(source));
        }
        String output = StringValue.readString(source);
        OptionalDouble score = source.readBoolean() ? OptionalDouble.of(source.readDouble()) : OptionalDouble.empty();
        return new LocalOutcome.Output(output, score);
    }

    @Override
    public TypeSerializerSnapshot<RemoteCallInFlight> snapshotConfiguration() {
        return new Snapshot();
    }


    /** Formats 1 to 3; also stands for the POJO serializer's snapshot of earlier builds (format 0, migrated on restore). */
    public static final class Snapshot extends FormatSnapshot<RemoteCallInFlight> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<RemoteCallInFlight> serializerFor(int writtenFormat) {
            // Format 0 is only ever described by the POJO serializer's own snapshot, which reads it.
            return writtenFormat == FORMAT || writtenFormat == LEGACY_POJO_FORMAT ? INSTANCE : new RemoteRequestSerializer(writtenFormat);
        }

        @Override
        protected OptionalInt legacyFormat(TypeSerializerSnapshot<RemoteCallInFlight> old) {
            return old instanceof PojoSerializerSnapshot<?> ? OptionalInt.of(LEGACY_POJO_FORMAT) : OptionalInt.empty();
        }
    }
}
