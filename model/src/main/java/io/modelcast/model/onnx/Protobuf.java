package io.modelcast.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers writer: just the wire types ONNX's {@code onnx.proto} needs (varint,
 * 32-bit float, length-delimited). Each message is built into its own buffer and then embedded
 * with its length, as the wire format requires.
 */
final class Protobuf {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Protobuf message(int field, Protobuf message) {
        return bytes(field, message.toByteArray());
    }

    Protobuf bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A repeated float field, packed (one length-delimited run of little-endian floats). */
    Protobuf packedFloats(int field, float[] values) {
        byte[] packed = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToIntBits(values[i]);
            packed[4 * i] = (byte) bits;
            packed[4 * i + 1] = (byte) (bits >>> 8);
            packed[4 * i + 2] = (byte) (bits >>> 16);
            packed[4 * i + 3] = (byte) (bits >>> 24);
        }
        return bytes(field, packed);
    }

    /** A single 32-bit float field. */
    Protobuf float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int shift = 0; shift < 32; shift += 8) {
            out.write(bits >>> shift);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
