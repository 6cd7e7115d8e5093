package io.modelcast.job.sources;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The model topic as one split: where to go on reading each partition, and whether the reader had
 * read the topic up to where it ended when it first started (after that, every record goes out as it
 * comes; before, only each name's newest valid one). A partition without a position is read from its
 * beginning. Checkpointed with the reader, so the offsets of the model topic are in every checkpoint.
 *
 * @param topic the model topic
 * @param positions per partition, the offset of the next record to read
 * @param caughtUp whether the start-up catch-up is done
 */
public record ModelTopicSplit(String topic, Map<Integer, Long> positions, boolean caughtUp) implements SourceSplit {

    public ModelTopicSplit {
        Objects.requireNonNull(topic, "topic");
        positions = Map.copyOf(positions);
    }

    /** The split of a job starting without state: every partition from its beginning, catching up first. */
    public static ModelTopicSplit fromTheBeginning(String topic) {
        return new ModelTopicSplit(topic, Map.of(), false);
    }

    @Override
    public String splitId() {
        return "model-topic-" + topic;
    }

    /** Serializer of a split: version 1 is the topic, the catch-up flag, then (partition, offset) pairs. */
    public static final class Serializer implements SimpleVersionedSerializer<ModelTopicSplit> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ModelTopicSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public ModelTopicSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown model topic split version " + version + "; this build reads version 1");
            }
            return read(new DataInputDeserializer(serialized));
        }

        static void write(ModelTopicSplit split, DataOutputSerializer out) throws IOException {
            out.writeUTF(split.topic());
            out.writeBoolean(split.caughtUp());
            Map<Integer, Long> sorted = new TreeMap<>(split.positions());
            out.writeInt(sorted.size());
            for (Map.Entry<Integer, Long> position : sorted.entrySet()) {
                out.writeInt(position.getKey());
                out.writeLong(position.getValue());
            }
        }

        static ModelTopicSplit read(DataInputDeserializer in) throws IOException {
            String topic = in.readUTF();
            boolean caughtUp = in.readBoolean();
            int count = in.readInt();
            Map<Integer, Long> positions = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                positions.put(in.readInt(), in.readLong());
            }
            return new ModelTopicSplit(topic, positions, caughtUp);
        }
    }
}
