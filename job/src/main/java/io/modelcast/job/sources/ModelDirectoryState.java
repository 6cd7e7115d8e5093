package io.modelcast.job.sources;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Optional;

/**
 * The checkpointed state of the model directory watch: the highest version handed out, the number
 * of the next split, and a split not yet taken by the reader — at most 2 × {@link
 * ModelCandidatesSplit#MAX_CANDIDATES} paths, a few KiB, however many versions have been published.
 */
record ModelDirectoryState(long highestHandedOut, long nextSplit, Optional<ModelCandidatesSplit> pending) {

    static final ModelDirectoryState INITIAL = new ModelDirectoryState(0, 0, Optional.empty());

    /** Writes the state. */
    static final class Serializer implements SimpleVersionedSerializer<ModelDirectoryState> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ModelDirectoryState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeLong(state.highestHandedOut());
            out.writeLong(state.nextSplit());
            out.writeBoolean(state.pending().isPresent());
            if (state.pending().isPresent()) {
                ModelCandidatesSplit.Serializer.write(state.pending().get(), out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public ModelDirectoryState deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            long highest = in.readLong();
            long nextSplit = in.readLong();
            Optional<ModelCandidatesSplit> pending =
                    in.readBoolean() ? Optional.of(ModelCandidatesSplit.Serializer.read(in)) : Optional.empty();
            return new ModelDirectoryState(highest, nextSplit, pending);
        }
    }
}
