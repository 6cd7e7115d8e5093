package io.modelcast.job.sources;

import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.BadModelFile;
import io.modelcast.job.InputFormat;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;
import io.modelcast.job.sources.ModelDirectorySource.CandidatesReader;
import io.modelcast.job.sources.ModelDirectorySource.ReadCandidate;
import io.modelcast.job.sources.ModelDirectorySource.Remaining;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The model source's reader: one file per fetch, newest first until one is valid, state in step. */
class CandidatesReaderTest {

    private static final long LIMIT = 4096;

    @TempDir Path models;

    private final CandidatesReader reader = new CandidatesReader(LIMIT, InputFormat.INT);

    /** One fetch: the records it gives and the splits it finishes. */
    private record Fetch(List<ReadCandidate> records, Set<String> finished) {}

    @Test
    void reappearedFilesFirstThenNewestFirstUntilOneIsValidOneFilePerFetch() throws IOException {
        write(1, fileBytes(1, true));
        // model-5.json was listed, then deleted before it was read
        write(4, BadModelFile.TRUNCATED.bytes(4));
        write(3, fileBytes(3, false));
        write(2, fileBytes(2, true));
        ModelCandidatesSplit split = new ModelCandidatesSplit("s1", List.of(candidate(1)),
                List.of(candidate(5), candidate(4), candidate(3), candidate(2)));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        Remaining state = new Remaining(split);

        List<Fetch> fetches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Fetch fetch = fetch();
            fetches.add(fetch);
            fetch.records().forEach(read -> state.emitted(read.accepted()));
            if (i < 3) {
                assertThat(state.toSplit().isEmpty()).as("state after fetch %d", i).isFalse();
            }
        }

        assertThat(fetches).allSatisfy(f -> assertThat(f.records()).hasSize(1));
        assertThat(fetches).extracting(f -> name(f.records().get(0)) + " " + f.records().get(0).accepted())
                .containsExactly("model-1.json false", "model-5.json false", "model-4.json false", "model-3.json true");
        assertThat(fetches.get(1).records().get(0).file().readError).contains("model-5.json");
        assertThat(fetches.get(3).finished()).containsExactly("s1");
        assertThat(state.toSplit().isEmpty()).as("nothing left to read once a valid file went out").isTrue();
        assertThat(fetch().records()).isEmpty();
    }

    @Test
    void whenNoFreshFileIsValidEachIsReadAndTheSplitEnds() throws IOException {
        write(2, BadModelFile.ZERO_BYTES.bytes(2));
        write(1, BadModelFile.CHECKSUM_MISMATCH.bytes(1));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(
                new ModelCandidatesSplit("s1", List.of(), List.of(candidate(2), candidate(1))))));

        Fetch first = fetch();
        Fetch second = fetch();

        assertThat(first.records()).extracting(CandidatesReaderTest::name).containsExactly("model-2.json");
        assertThat(first.finished()).isEmpty();
        assertThat(second.records()).extracting(CandidatesReaderTest::name).containsExactly("model-1.json");
        assertThat(second.finished()).containsExactly("s1");
    }

    @Test
    void aSplitRestoredWithNothingLeftEndsWithoutReadingAnything() {
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(new ModelCandidatesSplit("s1", List.of(), List.of()))));

        Fetch fetch = fetch();

        assertThat(fetch.records()).isEmpty();
        assertThat(fetch.finished()).containsExactly("s1");
    }

    @Test
    void splitsAreReadInTheOrderTheyCame() throws IOException {
        write(1, fileBytes(1, true));
        write(2, fileBytes(2, false));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(
                new ModelCandidatesSplit("s1", List.of(), List.of(candidate(1))),
                new ModelCandidatesSplit("s2", List.of(), List.of(candidate(2))))));

        assertThat(fetch().finished()).containsExactly("s1");
        assertThat(fetch().finished()).containsExactly("s2");
    }

    @Test
    void theStateOfASplitIsWhatHasNotGoneOut() {
        Remaining state = new Remaining(new ModelCandidatesSplit("s1", List.of(candidate(1)), List.of(candidate(3), candidate(2))));

        state.emitted(false);
        assertThat(state.toSplit()).isEqualTo(new ModelCandidatesSplit("s1", List.of(), List.of(candidate(3), candidate(2))));
        state.emitted(false);
        assertThat(state.toSplit()).isEqualTo(new ModelCandidatesSplit("s1", List.of(), List.of(candidate(2))));
        state.emitted(true);
        assertThat(state.toSplit().isEmpty()).isTrue();
    }

    private Fetch fetch() {
        RecordsWithSplitIds<ReadCandidate> records = reader.fetch();
        List<ReadCandidate> read = new ArrayList<>();
        while (records.nextSplit() != null) {
            for (ReadCandidate next; (next = records.nextRecordFromSplit()) != null; ) {
                read.add(next);
            }
        }
        return new Fetch(read, records.finishedSplits());
    }

    private Candidate candidate(long version) {
        return new Candidate(version, models.resolve("model-" + version + ".json").toString());
    }

    private void write(long version, byte[] content) throws IOException {
        Files.write(models.resolve("model-" + version + ".json"), content);
    }

    private static String name(ReadCandidate read) {
        return Path.of(read.file().path).getFileName().toString();
    }
}
