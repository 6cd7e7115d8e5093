package io.modelcast.job.sources.socket;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/** The one split of a {@link SocketSource}: the server to read from. */
public record SocketSplit(String host, int port) implements SourceSplit {

    @Override
    public String splitId() {
        return host + ":" + port;
    }

    /** Writes a split as host and port. */
    static final class Serializer implements SimpleVersionedSerializer<SocketSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(SocketSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(32);
            out.writeUTF(split.host());
            out.writeInt(split.port());
            return out.getCopyOfBuffer();
        }

        @Override
        public SocketSplit deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new SocketSplit(in.readUTF(), in.readInt());
        }
    }
}
