package io.modelcast.job.sources.socket;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the socket split to the first reader (subtask 0), and again to whichever reader registers
 * after it came back from a failed one. Its state is the split while no reader holds it.
 */
final class SocketSplitEnumerator implements SplitEnumerator<SocketSplit, List<SocketSplit>> {

    private final SplitEnumeratorContext<SocketSplit> context;
    private final List<SocketSplit> unassigned;

    SocketSplitEnumerator(SplitEnumeratorContext<SocketSplit> context, List<SocketSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {}

    @Override
    public void addSplitsBack(List<SocketSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        assignIfPossible();
    }

    @Override
    public void addReader(int subtaskId) {
        assignIfPossible();
    }

    private void assignIfPossible() {
        if (!unassigned.isEmpty() && context.registeredReaders().containsKey(0)) {
            for (SocketSplit split : unassigned) {
                context.assignSplit(split, 0);
            }
            unassigned.clear();
        }
    }

    @Override
    public List<SocketSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}

    /** Writes the unassigned splits. */
    static final class StateSerializer implements SimpleVersionedSerializer<List<SocketSplit>> {
        private final SocketSplit.Serializer splits = new SocketSplit.Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<SocketSplit> state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeInt(state.size());
            for (SocketSplit split : state) {
                byte[] bytes = splits.serialize(split);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<SocketSplit> deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int count = in.readInt();
            List<SocketSplit> state = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                state.add(splits.deserialize(splits.getVersion(), bytes));
            }
            return state;
        }
    }
}
