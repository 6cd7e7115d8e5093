package io.modelcast.job.records;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** How the serializers of this package write a {@link RecordOrigin} that may be absent (socket input). */
final class RecordOriginFormat {

    private RecordOriginFormat() {}

    static void write(RecordOrigin origin, DataOutputView target) throws IOException {
        target.writeBoolean(origin != null);
        if (origin == null) {
            return;
        }
        target.writeUTF(origin.topic);
        target.writeInt(origin.partition);
        target.writeLong(origin.offset);
        target.writeLong(origin.timestamp);
        target.writeInt(origin.key == null ? -1 : origin.key.length);
        if (origin.key != null) {
            target.write(origin.key);
        }
    }

    static RecordOrigin read(DataInputView source) throws IOException {
        if (!source.readBoolean()) {
            return null;
        }
        String topic = source.readUTF();
        int partition = source.readInt();
        long offset = source.readLong();
        long timestamp = source.readLong();
        int keyLength = source.readInt();
        byte[] key = null;
        if (keyLength >= 0) {
            key = new byte[keyLength];
            source.readFully(key);
        }
        return new RecordOrigin(topic, partition, offset, timestamp, key);
    }
}
