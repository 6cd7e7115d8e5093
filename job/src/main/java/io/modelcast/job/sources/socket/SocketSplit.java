package io.modelcast.job.sources.socket;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The one split of a {@link SocketSource}. It holds nothing: a socket has no position to resume
 * from, and the address comes from the source, so a job restored from a savepoint with another
 * {@code --host}/{@code --port} reads from the new one.
 */
public record SocketSplit() implements SourceSplit {

    static final SocketSplit INSTANCE = new SocketSplit();

    @Override
    public String splitId() {
        return "socket";
    }

    /** Writes nothing; reads splits of any version (version 1 carried an address, now ignored). */
    static final class Serializer implements SimpleVersionedSerializer<SocketSplit> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(SocketSplit split) {
            return new byte[0];
        }

        @Override
        public SocketSplit deserialize(int version, byte[] serialized) {
            return INSTANCE;
        }
    }
}
