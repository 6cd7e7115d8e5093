package io.modelcast.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Lines of text as they came from the socket in one read: their UTF-8 bytes back to back, without
 * line ends, and where each ends. One record per read rather than one per line, so the per-record
 * costs of the path — above all the hop to the scoring operator — are paid per read; at a low rate
 * a read holds a line or two, so nothing waits to fill a batch. Immutable once built.
 */
@TypeInfo(LineBatch.Info.class)
public final class LineBatch {

    final byte[] text;
    final int[] ends;
    final int size;

    /**
     * @param text the lines' bytes back to back; may be longer than used
     * @param ends where line {@code i} ends in {@code text} (it starts where line {@code i - 1} ends)
     * @param size how many lines; {@code ends} may be longer
     */
    public LineBatch(byte[] text, int[] ends, int size) {
        this.text = text;
        this.ends = ends;
        this.size = size;
    }

    /** A batch of the given lines, for tests and for sources of single strings. */
    public static LineBatch of(String... lines) {
        StringBuilder all = new StringBuilder();
        int[] ends = new int[lines.length];
        int end = 0;
        for (int i = 0; i < lines.length; i++) {
            all.append(lines[i]);
            end += lines[i].getBytes(StandardCharsets.UTF_8).length;
            ends[i] = end;
        }
        return new LineBatch(all.toString().getBytes(StandardCharsets.UTF_8), ends, lines.length);
    }

    public int size() {
        return size;
    }

    public int start(int line) {
        return line == 0 ? 0 : ends[line - 1];
    }

    public int end(int line) {
        return ends[line];
    }

    /** The bytes of all lines; line {@code i} is {@code [start(i), end(i))}. Do not modify. */
    public byte[] bytes() {
        return text;
    }

    /** Line {@code i}, decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String line(int i) {
        return new String(text, start(i), end(i) - start(i), StandardCharsets.UTF_8);
    }

    /** These lines as inputs holding {@code values}, sharing this batch's arrays. */
    public InputBatch toInputs(long[] values) {
        return new InputBatch(text, ends, values, null, size);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LineBatch other) || other.size != size) {
            return false;
        }
        int length = size == 0 ? 0 : ends[size - 1];
        return Arrays.equals(ends, 0, size, other.ends, 0, size)
                && Arrays.equals(text, 0, length, other.text, 0, length);
    }

    @Override
    public int hashCode() {
        return 31 * size + (size == 0 ? 0 : ends[size - 1]);
    }

    @Override
    public String toString() {
        StringBuilder shown = new StringBuilder("LineBatch[");
        for (int i = 0; i < Math.min(size, 5); i++) {
            shown.append(i == 0 ? "" : ", ").append('"').append(line(i)).append('"');
        }
        return shown.append(size > 5 ? ", … " + size + " lines]" : "]").toString();
    }

    /** Flink type information: {@link LineBatchSerializer}. */
    public static final class Info extends TypeInfoFactory<LineBatch> {
        @Override
        public TypeInformation<LineBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(LineBatch.class, LineBatchSerializer.INSTANCE);
        }
    }
}
