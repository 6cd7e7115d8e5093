package io.modelcast.job.sources;

import io.modelcast.model.ModelName;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Model files of one model name for the reader, in the order it reads them: first the {@code reappeared} files —
 * names of versions not newer than one handed out before that showed up again, read only so the
 * loader can reject them with a reason — then the {@code fresh} ones, newest first, of which the
 * reader reads until one is valid. Each list holds at most {@link #MAX_CANDIDATES}, so a split is a
 * few KiB however many files appear at once.
 *
 * @param id unique among the splits of one job
 * @param name the model name the files are versions of
 * @param reappeared old versions that appeared again, each read and rejected
 * @param fresh new versions, newest first
 */
public record ModelCandidatesSplit(String id, String name, List<Candidate> reappeared, List<Candidate> fresh)
        implements SourceSplit {

    /** How many files of each kind one split offers. */
    public static final int MAX_CANDIDATES = 16;

    /** One model file: the version in its name and its path. */
    public record Candidate(long version, String path) {}

    public ModelCandidatesSplit {
        Objects.requireNonNull(name, "name");
        reappeared = List.copyOf(reappeared);
        fresh = List.copyOf(fresh);
    }

    /** A split of the default model's files (the flat layout). */
    public ModelCandidatesSplit(String id, List<Candidate> reappeared, List<Candidate> fresh) {
        this(id, ModelName.DEFAULT, reappeared, fresh);
    }

    /** A split of the newest {@link #MAX_CANDIDATES} fresh files and the first reappeared ones of model {@code name}. */
    public static ModelCandidatesSplit of(String id, String name, List<Candidate> reappeared, List<Candidate> fresh) {
        return new ModelCandidatesSplit(id, name, firstDistinct(reappeared.stream()), newest(fresh.stream()));
    }

    /** As {@link #of(String, String, List, List)}, for the default model. */
    public static ModelCandidatesSplit of(String id, List<Candidate> reappeared, List<Candidate> fresh) {
        return of(id, ModelName.DEFAULT, reappeared, fresh);
    }

    /** This split and a later one of the same name, as one: the later one's id, the newest fresh files of both. */
    public ModelCandidatesSplit merge(ModelCandidatesSplit later) {
        if (!later.name.equals(name)) {
            throw new IllegalArgumentException("splits of models " + name + " and " + later.name + " do not merge");
        }
        return new ModelCandidatesSplit(later.id, name,
                firstDistinct(Stream.concat(reappeared.stream(), later.reappeared.stream())),
                newest(Stream.concat(fresh.stream(), later.fresh.stream())));
    }

    /** Whether nothing is left to read. */
    public boolean isEmpty() {
        return reappeared.isEmpty() && fresh.isEmpty();
    }

    /** The highest fresh version offered, or 0 if none. */
    public long newestVersion() {
        return fresh.isEmpty() ? 0 : fresh.get(0).version();
    }

    @Override
    public String splitId() {
        return id;
    }

    private static List<Candidate> newest(Stream<Candidate> candidates) {
        return candidates
                .distinct()
                .sorted(Comparator.comparingLong(Candidate::version).reversed())
                .limit(MAX_CANDIDATES)
                .collect(Collectors.toList());
    }

    private static List<Candidate> firstDistinct(Stream<Candidate> candidates) {
        Map<String, Candidate> byPath = new LinkedHashMap<>();
        candidates.forEach(c -> byPath.putIfAbsent(c.path(), c));
        return byPath.values().stream().limit(MAX_CANDIDATES).collect(Collectors.toList());
    }

    /** Writes the id, the name (from version 2; version 1 splits are the default model's) and the candidates. */
    public static final class Serializer implements SimpleVersionedSerializer<ModelCandidatesSplit> {

        static final int VERSION = 2;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(ModelCandidatesSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public ModelCandidatesSplit deserialize(int version, byte[] serialized) throws IOException {
            return read(new DataInputDeserializer(serialized), version);
        }

        static void write(ModelCandidatesSplit split, DataOutputSerializer out) throws IOException {
            out.writeUTF(split.id());
            out.writeUTF(split.name());
            writeCandidates(split.reappeared(), out);
            writeCandidates(split.fresh(), out);
        }

        static ModelCandidatesSplit read(DataInputDeserializer in, int version) throws IOException {
            if (version < 1 || version > VERSION) {
                throw new IOException("model directory split version " + version + " is unknown to this build");
            }
            String id = in.readUTF();
            String name = version >= 2 ? in.readUTF() : ModelName.DEFAULT;
            List<Candidate> reappeared = readCandidates(in);
            return new ModelCandidatesSplit(id, name, reappeared, readCandidates(in));
        }

        private static void writeCandidates(List<Candidate> candidates, DataOutputSerializer out) throws IOException {
            out.writeInt(candidates.size());
            for (Candidate candidate : candidates) {
                out.writeLong(candidate.version());
                out.writeUTF(candidate.path());
            }
        }

        private static List<Candidate> readCandidates(DataInputDeserializer in) throws IOException {
            int count = in.readInt();
            List<Candidate> candidates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                candidates.add(new Candidate(in.readLong(), in.readUTF()));
            }
            return candidates;
        }
    }
}
