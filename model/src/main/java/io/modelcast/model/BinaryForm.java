package io.modelcast.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A model's binary form ({@link ModelType#writeBinary}): what the job's loader sends to every scorer
 * and what broadcast state keeps, so no scorer decodes JSON or checks a checksum again. Each type's
 * form starts with a format number, so a later build can still read what an earlier one checkpointed.
 */
public final class BinaryForm {

    /** The format every built-in type writes today. */
    public static final int FORMAT_1 = 1;

    private BinaryForm() {}

    /** The binary form of a model of a registered type. */
    public static byte[] of(Model model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(ModelTypes.typeOf(model), model, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a " + model.typeName() + " model in binary form", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Builds a model of the named type from its binary form.
     *
     * @throws IOException if the type is unknown, or the bytes are not its binary form
     */
    public static Model read(String type, byte[] binary) throws IOException {
        ModelType<?> modelType = ModelTypes.byName(type)
                .orElseThrow(() -> new IOException("unknown model type " + type + " (known: " + ModelTypes.knownNames() + ")"));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(binary))) {
            Model model = modelType.readBinary(in);
            if (in.available() > 0) {
                model.close();
                throw new IOException(in.available() + " bytes left after a " + type + " model's binary form");
            }
            return model;
        }
    }

    /** Writes the format number a type's form starts with. */
    public static void writeFormat(DataOutput out, int format) throws IOException {
        out.writeByte(format);
    }

    /** Reads the format number and fails unless it is {@code expected}. */
    public static void readFormat(DataInput in, String type, int expected) throws IOException {
        int format = in.readUnsignedByte();
        if (format != expected) {
            throw new IOException("a " + type + " model in binary format " + format + ", but this build reads " + expected);
        }
    }

    private static <M extends Model> void write(ModelType<M> type, Model model, DataOutput out) throws IOException {
        type.writeBinary(type.modelClass().cast(model), out);
    }
}
