package io.modelcast.job.modelupdates;

import io.modelcast.model.drift.Profile;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.FeatureSpecException;
import io.modelcast.model.rollout.Rollout;

import io.modelcast.job.records.FormatSnapshot;
import io.modelcast.job.records.ImmutableSerializer;
import io.modelcast.job.records.SerializerTypeInfo;
import io.modelcast.job.store.ModelBytes;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Writes a {@link ValidatedModel}. Kept in broadcast state, so its format is numbered. Format 5: as
 * format 4, then the feature spec, if any, as its JSON text. Format 4: the
 * name; version, type, time, source, then the binary form — a byte 0 and its length and bytes, or a
 * byte 1 and the model store's reference (SHA-256, length, location); the rollout, if any (mode,
 * percentage, champion version, policy with its evaluation bounds); then the fallback, if any, as
 * version to bytes; then the training profile, if any (per feature its edges and shares, then the
 * score shares). Format 3 (before the model store) had the length and bytes without the byte before
 * them. Format 2 (before evaluation bounds and profiles) had the policy without bounds and
 * no profile. Format 1
 * (builds before model names): version to bytes, then the fallback the same way — a champion of the
 * default model.
 */
public final class ValidatedModelSerializer extends ImmutableSerializer<ValidatedModel> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FORMAT = 5;
    private static final int INLINE = 0;
    private static final int STORED = 1;
    public static final ValidatedModelSerializer INSTANCE = new ValidatedModelSerializer(FORMAT);


    private ValidatedModelSerializer(int readFormat) {
        super(readFormat);
    }

    @Override
    public ValidatedModel createInstance() {
        return new ValidatedModel(0, "", 0, "", new byte[0]);
    }

    @Override
    public void serialize(ValidatedModel model, DataOutputView target) throws IOException {
        target.writeUTF(model.name());
        writeOne(model, target);
        target.writeBoolean(model.rollout().isPresent());
        if (model.rollout().isPresent()) {
            writeRollout(model.rollout().get(), target);
        }
        target.writeBoolean(model.fallback().isPresent());
        if (model.fallback().isPresent()) {
            writeOne(model.fallback().get(), target);
        }
        target.writeBoolean(model.profile().isPresent());
        if (model.profile().isPresent()) {
            writeProfile(model.profile().get(), target);
        }
        target.writeBoolean(model.featureSpec().isPresent());
        if (model.featureSpec().isPresent()) {
            StringValue.writeString(model.featureSpec().get().toJson().toString(), target);
        }
    }

    private static FeatureSpec readFeatureSpec(DataInputView source) throws IOException {
        String json = StringValue.readString(source);
        try {
            return FeatureSpec.fromJson(JSON.readTree(json));
        } catch (FeatureSpecException e) {
            throw new IOException("a feature spec in broadcast state is not one this build reads: " + e.getMessage(), e);
        }
    }

    private static void writeProfile(Profile profile, DataOutputView target) throws IOException {
        target.writeInt(profile.featureCount());
        for (Profile.Bins bins : profile.features()) {
            writeDoubles(bins.edges(), target);
            writeDoubles(bins.shares(), target);
        }
        writeDoubles(profile.scoreShares(), target);
    }

    private static Profile readProfile(DataInputView source) throws IOException {
        int features = source.readInt();
        List<Profile.Bins> bins = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
            bins.add(new Profile.Bins(readDoubles(source), readDoubles(source)));
        }
        return new Profile(bins, readDoubles(source));
    }

    private static void writeDoubles(double[] values, DataOutputView target) throws IOException {
        target.writeInt(values.length);
        for (double value : values) {
            target.writeDouble(value);
        }
    }

    private static double[] readDoubles(DataInputView source) throws IOException {
        double[] values = new double[source.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = source.readDouble();
        }
        return values;
    }

    @Override
    public ValidatedModel deserialize(DataInputView source) throws IOException {
        if (readFormat == 1) {
            ValidatedModel model = readOne(source);
            return source.readBoolean() ? model.withFallback(readOne(source)) : model;
        }
        String name = source.readUTF();
        ValidatedModel model = readOne(source).named(name);
        if (source.readBoolean()) {
            model = model.asChallenger(readRollout(source));
        }
        if (source.readBoolean()) {
            model = model.withFallback(readOne(source).named(name));
        }
        if (readFormat >= 3 && source.readBoolean()) {
            model = model.withProfile(Optional.of(readProfile(source)));
        }
        return readFormat >= 5 && source.readBoolean() ? model.withFeatureSpec(Optional.of(readFeatureSpec(source))) : model;
    }

    private static void writeRollout(Rollout rollout, DataOutputView target) throws IOException {
        target.writeByte(rollout.mode().ordinal());
        target.writeDouble(rollout.percent());
        target.writeLong(rollout.challenges());
        target.writeLong(rollout.policy().promoteAfter());
        target.writeDouble(rollout.policy().maxErrorRate());
        target.writeDouble(rollout.policy().maxScoreShift());
        writeOptional(rollout.policy().minAuc(), target);
        writeOptional(rollout.policy().maxLogLoss(), target);
    }

    private Rollout readRollout(DataInputView source) throws IOException {
        Rollout.Mode mode = Rollout.Mode.values()[source.readByte()];
        double percent = source.readDouble();
        long challenges = source.readLong();
        Rollout.Policy policy = new Rollout.Policy(source.readLong(), source.readDouble(), source.readDouble());
        if (readFormat >= 3) {
            policy = new Rollout.Policy(policy.promoteAfter(), policy.maxErrorRate(), policy.maxScoreShift(),
                    readOptional(source), readOptional(source));
        }
        return new Rollout(mode, percent, challenges, policy);
    }

    private static void writeOne(ValidatedModel model, DataOutputView target) throws IOException {
        target.writeLong(model.version());
        target.writeUTF(model.type());
        target.writeLong(model.createdAtMillis());
        target.writeUTF(model.source());
        if (model.bytes() instanceof ModelBytes.Stored stored) {
            target.writeByte(STORED);
            target.writeUTF(stored.sha256());
            target.writeInt(stored.length());
            target.writeUTF(stored.location());
        } else {
            byte[] binary = ((ModelBytes.Inline) model.bytes()).bytes();
            target.writeByte(INLINE);
            target.writeInt(binary.length);
            target.write(binary);
        }
    }

    private ValidatedModel readOne(DataInputView source) throws IOException {
        long version = source.readLong();
        String type = source.readUTF();
        long createdAt = source.readLong();
        String path = source.readUTF();
        ValidatedModel model = new ValidatedModel(version, type, createdAt, path, new byte[0]);
        int kind = readFormat >= 4 ? source.readByte() : INLINE;
        if (kind == STORED) {
            return model.withBytes(new ModelBytes.Stored(source.readUTF(), source.readInt(), source.readUTF()));
        }
        if (kind != INLINE) {
            throw new IOException("model version " + version + " in broadcast state has bytes of unknown kind " + kind);
        }
        byte[] binary = new byte[source.readInt()];
        source.readFully(binary);
        return model.withBytes(new ModelBytes.Inline(binary));
    }

    private static void writeOptional(OptionalDouble value, DataOutputView target) throws IOException {
        target.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            target.writeDouble(value.getAsDouble());
        }
    }

    private static OptionalDouble readOptional(DataInputView source) throws IOException {
        return source.readBoolean() ? OptionalDouble.of(source.readDouble()) : OptionalDouble.empty();
    }

    @Override
    public TypeSerializerSnapshot<ValidatedModel> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Formats 1 to 5. */
    public static final class Snapshot extends FormatSnapshot<ValidatedModel> {
        public Snapshot() {
            super(FORMAT);
        }

        @Override
        protected TypeSerializer<ValidatedModel> serializerFor(int writtenFormat) {
            return writtenFormat == FORMAT ? INSTANCE : new ValidatedModelSerializer(writtenFormat);
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
