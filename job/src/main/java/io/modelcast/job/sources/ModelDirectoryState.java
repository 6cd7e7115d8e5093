package io.modelcast.job.sources;

import io.modelcast.model.ModelName;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpointed state of the model directory watch: per model name, the highest version handed
 * out; the number of the next split; and the splits not yet taken by the reader, at most one per
 * name of at most 2 × {@link ModelCandidatesSplit#MAX_CANDIDATES} paths — a few KiB per name,
 * however many versions have been published.
 *
 * @param highestHandedOut per model name, the highest version handed out
 * @param pending splits not yet taken, at most one per name, in the order they are to be read
 */
record ModelDirectoryState(Map<String, Long> highestHandedOut, long nextSplit, List<ModelCandidatesSplit> pending) {

    static final ModelDirectoryState INITIAL = new ModelDirectoryState(Map.of(), 0, List.of());

    ModelDirectoryState {
        highestHandedOut = Map.copyOf(highestHandedOut);
        pending = List.copyOf(pending);
    }

    /** The state of the default model alone, as builds before model names had it. */
    ModelDirectoryState(long highestHandedOut, long nextSplit, Optional<ModelCandidatesSplit> pending) {
        this(highestHandedOut == 0 ? Map.of() : Map.of(ModelName.DEFAULT, highestHandedOut), nextSplit,
                pending.map(List::of).orElse(List.of()));
    }

    /**
     * Writes the state. Version 2: the names and their highest versions, the split counter, the
     * pending splits. Version 1 (builds before model names): one highest version, the counter and
     * at most one pending split, all of the default model.
     */
    static final class Serializer implements SimpleVersionedSerializer<ModelDirectoryState> {

        static final int VERSION = 2;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(ModelDirectoryState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            Map<String, Long> sorted = new TreeMap<>(state.highestHandedOut());
            out.writeInt(sorted.size());
            for (Map.Entry<String, Long> entry : sorted.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue());
            }
            out.writeLong(state.nextSplit());
            out.writeInt(state.pending().size());
            for (ModelCandidatesSplit split : state.pending()) {
                ModelCandidatesSplit.Serializer.write(split, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public ModelDirectoryState deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            if (version == 1) {
                long highest = in.readLong();
                long nextSplit = in.readLong();
                Optional<ModelCandidatesSplit> pending =
                        in.readBoolean() ? Optional.of(ModelCandidatesSplit.Serializer.read(in, 1)) : Optional.empty();
                return new ModelDirectoryState(highest, nextSplit, pending);
            }
            if (version != VERSION) {
                throw new IOException("model directory state version " + version + " is unknown to this build");
            }
            int names = in.readInt();
            Map<String, Long> highest = new TreeMap<>();
            for (int i = 0; i < names; i++) {
                highest.put(in.readUTF(), in.readLong());
            }
            long nextSplit = in.readLong();
            int count = in.readInt();
            List<ModelCandidatesSplit> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pending.add(ModelCandidatesSplit.Serializer.read(in, ModelCandidatesSplit.Serializer.VERSION));
            }
            return new ModelDirectoryState(highest, nextSplit, pending);
        }
    }
}
