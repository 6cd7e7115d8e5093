package io.modelcast.job.sources;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Model files newer than any handed out before, newest first, at most {@link #MAX_CANDIDATES}: the
 * reader applies the newest that is valid and never reads the older ones.
 *
 * @param candidates newest version first
 */
public record ModelCandidatesSplit(List<Candidate> candidates) implements SourceSplit {

    /** How many new files one split offers, newest first, in case the newest ones are invalid. */
    public static final int MAX_CANDIDATES = 16;

    /** One model file: the version in its name and its path. */
    public record Candidate(long version, String path) {}

    public ModelCandidatesSplit {
        candidates = List.copyOf(candidates);
    }

    /** The newest {@link #MAX_CANDIDATES} of some candidates, newest first. */
    public static ModelCandidatesSplit newestOf(Stream<Candidate> candidates) {
        return new ModelCandidatesSplit(candidates
                .distinct()
                .sorted(Comparator.comparingLong(Candidate::version).reversed())
                .limit(MAX_CANDIDATES)
                .collect(Collectors.toList()));
    }

    /** This split and another merged: the newest candidates of both. */
    public ModelCandidatesSplit merge(ModelCandidatesSplit other) {
        return newestOf(Stream.concat(candidates.stream(), other.candidates.stream()));
    }

    public long newestVersion() {
        return candidates.isEmpty() ? 0 : candidates.get(0).version();
    }

    @Override
    public String splitId() {
        return "models-up-to-" + newestVersion();
    }

    /** Writes the candidates. */
    public static final class Serializer implements SimpleVersionedSerializer<ModelCandidatesSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ModelCandidatesSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public ModelCandidatesSplit deserialize(int version, byte[] serialized) throws IOException {
            return read(new DataInputDeserializer(serialized));
        }

        static void write(ModelCandidatesSplit split, DataOutputSerializer out) throws IOException {
            out.writeInt(split.candidates().size());
            for (Candidate candidate : split.candidates()) {
                out.writeLong(candidate.version());
                out.writeUTF(candidate.path());
            }
        }

        static ModelCandidatesSplit read(DataInputDeserializer in) throws IOException {
            int count = in.readInt();
            List<Candidate> candidates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                candidates.add(new Candidate(in.readLong(), in.readUTF()));
            }
            return new ModelCandidatesSplit(candidates);
        }
    }
}
