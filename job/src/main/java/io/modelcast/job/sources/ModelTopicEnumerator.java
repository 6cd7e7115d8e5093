package io.modelcast.job.sources;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Hands the model topic's one split to the first reader that asks, and takes it back if that reader
 * fails before a checkpoint. Its state is the split while no reader holds it; once assigned, the
 * split — with its offsets — lives in the reader's state.
 */
final class ModelTopicEnumerator implements SplitEnumerator<ModelTopicSplit, ModelTopicEnumerator.Unassigned> {

    /** The split no reader holds, if any. */
    record Unassigned(Optional<ModelTopicSplit> split) {}

    private final SplitEnumeratorContext<ModelTopicSplit> context;
    private Optional<ModelTopicSplit> unassigned;

    ModelTopicEnumerator(SplitEnumeratorContext<ModelTopicSplit> context, Unassigned state) {
        this.context = context;
        this.unassigned = state.split();
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        unassigned.ifPresent(split -> {
            context.assignSplit(split, subtaskId);
            unassigned = Optional.empty();
        });
    }

    @Override
    public void addSplitsBack(List<ModelTopicSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            unassigned = Optional.of(splits.get(0));
        }
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public Unassigned snapshotState(long checkpointId) {
        return new Unassigned(unassigned);
    }

    @Override
    public void close() {}

    /** Version 1: whether a split is unassigned, then that split. */
    static final class StateSerializer implements SimpleVersionedSerializer<Unassigned> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Unassigned state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeBoolean(state.split().isPresent());
            if (state.split().isPresent()) {
                ModelTopicSplit.Serializer.write(state.split().get(), out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Unassigned deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown model topic enumerator state version " + version + "; this build reads version 1");
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new Unassigned(in.readBoolean() ? Optional.of(ModelTopicSplit.Serializer.read(in)) : Optional.empty());
        }
    }
}
