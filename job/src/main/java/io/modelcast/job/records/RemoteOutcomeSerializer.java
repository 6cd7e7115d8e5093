package io.modelcast.job.records;

import io.modelcast.job.records.RemoteOutcome.Challenged;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Writes a {@link RemoteOutcome} between tasks: a tag (scored, rejected, shadowed), the outcome,
 * then what the challenger made of the input, if anything. Outcomes are never checkpointed (the
 * async operator keeps its requests, not its answers); the format is numbered like every
 * serializer's here: format 1.
 */
public final class RemoteOutcomeSerializer extends ImmutableSerializer<RemoteOutcome> {

    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;
    public static final RemoteOutcomeSerializer INSTANCE = new RemoteOutcomeSerializer();

    private static final byte SCORED = 0;
    private static final byte REJECTED = 1;
    private static final byte SHADOWED = 2;

    @Override
    public RemoteOutcome createInstance() {
        return new RemoteOutcome.Rejected(new RejectedRecord("", ""), Optional.empty());
    }

    @Override
    public void serialize(RemoteOutcome outcome, DataOutputView target) throws IOException {
        if (outcome instanceof RemoteOutcome.Scored scored) {
            target.writeByte(SCORED);
            ResultSerializer.INSTANCE.serialize(scored.result(), target);
        } else if (outcome instanceof RemoteOutcome.Rejected rejected) {
            target.writeByte(REJECTED);
            StringValue.writeString(rejected.rejected().input, target);
            StringValue.writeString(rejected.rejected().reason, target);
            RecordOriginFormat.write(rejected.rejected().origin, target);
        } else {
            RemoteOutcome.Shadowed shadowed = (RemoteOutcome.Shadowed) outcome;
            target.writeByte(SHADOWED);
            StringValue.writeString(shadowed.line(), target);
            target.writeBoolean(shadowed.agreed());
        }
        target.writeBoolean(outcome.challenger().isPresent());
        if (outcome.challenger().isPresent()) {
            writeChallenged(outcome.challenger().get(), target);
        }
    }

    @Override
    public RemoteOutcome deserialize(DataInputView source) throws IOException {
        byte tag = source.readByte();
        return switch (tag) {
            case SCORED -> {
                Result result = ResultSerializer.INSTANCE.deserialize(source);
                yield new RemoteOutcome.Scored(result, readChallenged(source));
            }
            case REJECTED -> {
                RejectedRecord rejected = new RejectedRecord(StringValue.readString(source), StringValue.readString(source),
                        RecordOriginFormat.read(source));
                yield new RemoteOutcome.Rejected(rejected, readChallenged(source));
            }
            case SHADOWED -> {
                String line = StringValue.readString(source);
                boolean agreed = source.readBoolean();
                yield new RemoteOutcome.Shadowed(line, readChallenged(source).orElseThrow(
                        () -> new IOException("a shadowed outcome without its challenger")), agreed);
            }
            default -> throw new IOException("unknown remote outcome tag " + tag);
        };
    }

    private static void writeChallenged(Challenged challenged, DataOutputView target) throws IOException {
        StringValue.writeString(challenged.model(), target);
        target.writeLong(challenged.championVersion());
        target.writeLong(challenged.challengerVersion());
        target.writeBoolean(challenged.failed());
        target.writeBoolean(challenged.score().isPresent());
        if (challenged.score().isPresent()) {
            target.writeDouble(challenged.score().getAsDouble());
        }
        target.writeLong(challenged.nanosPerInput());
    }

    private static Optional<Challenged> readChallenged(DataInputView source) throws IOException {
        if (!source.readBoolean()) {
            return Optional.empty();
        }
        String model = StringValue.readString(source);
        long championVersion = source.readLong();
        long challengerVersion = source.readLong();
        boolean failed = source.readBoolean();
        OptionalDouble score = source.readBoolean() ? OptionalDouble.of(source.readDouble()) : OptionalDouble.empty();
        return Optional.of(new Challenged(model, championVersion, challengerVersion, failed, score, source.readLong()));
    }

    @Override
    public TypeSerializerSnapshot<RemoteOutcome> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1. */
    public static final class Snapshot extends FormatSnapshot<RemoteOutcome> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<RemoteOutcome> serializerFor(int writtenFormat) {
            return INSTANCE;
        }
    }
}
