package io.modelcast.job.sources;

import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The model source's enumerator, on Flink's mock context: listing, one split at a time, state. */
class ModelDirectoryEnumeratorTest {

    @TempDir Path models;

    private final MockSplitEnumeratorContext<ModelCandidatesSplit> context = new MockSplitEnumeratorContext<>(1);

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aReaderGetsWorkOnlyWhenItAsksAndListingsInBetweenAreMergedIntoOneSplit() throws Throwable {
        ModelDirectoryEnumerator enumerator = started(ModelDirectoryState.INITIAL);
        publish(1);
        list();
        assertThat(context.getSplitsAssignmentSequence()).as("nobody asked yet").isEmpty();

        enumerator.handleSplitRequest(0, "localhost");
        assertThat(versionsAssigned(0)).containsExactly(1L);

        publish(2);
        list();
        publish(3);
        list();
        assertThat(context.getSplitsAssignmentSequence()).as("the reader is busy with version 1").hasSize(1);

        enumerator.handleSplitRequest(0, "localhost");
        assertThat(versionsAssigned(1)).containsExactly(3L, 2L);
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(context.getSplitsAssignmentSequence()).as("nothing new").hasSize(2);
    }

    @Test
    void theStateIsTheHighestVersionAndWhatNoReaderHasTaken() throws Throwable {
        ModelDirectoryEnumerator enumerator = started(ModelDirectoryState.INITIAL);
        for (long v = 1; v <= 100; v++) {
            publish(v);
        }
        list();

        ModelDirectoryState state = enumerator.snapshotState(1);

        assertThat(state.highestHandedOut()).containsExactly(Map.entry("default", 100L));
        assertThat(state.pending()).singleElement().satisfies(split -> {
            assertThat(split.newestVersion()).isEqualTo(100);
            assertThat(split.fresh()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        });
    }

    @Test
    void aRestoredEnumeratorHandsOutItsPendingSplitAndOnlyNewerVersions() throws Throwable {
        publish(1);
        publish(2);
        ModelCandidatesSplit pending = new ModelCandidatesSplit("models-7", List.of(), List.of(new Candidate(2, path(2))));
        ModelDirectoryEnumerator restored = started(new ModelDirectoryState(2, 8, Optional.of(pending)));
        list();

        restored.handleSplitRequest(0, "localhost");
        assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0)).containsExactly(pending);

        publish(3);
        list();
        restored.handleSplitRequest(0, "localhost");
        ModelCandidatesSplit next = context.getSplitsAssignmentSequence().get(1).assignment().get(0).get(0);
        assertThat(next.fresh()).extracting(Candidate::version).containsExactly(3L);
        assertThat(next.splitId()).isEqualTo("models-8");
    }

    @Test
    void splitsOfAFailedReaderComeBackMergedWithAnythingNewer() throws Throwable {
        ModelDirectoryEnumerator enumerator = started(ModelDirectoryState.INITIAL);
        publish(1);
        list();
        enumerator.handleSplitRequest(0, "localhost");
        ModelCandidatesSplit lost = context.getSplitsAssignmentSequence().get(0).assignment().get(0).get(0);
        publish(2);
        list();

        enumerator.addSplitsBack(List.of(lost), 0);
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(versionsAssigned(1)).containsExactly(2L, 1L);
    }

    @Test
    void aMissingDirectoryIsWaitedFor() throws Throwable {
        Path later = models.resolve("not-yet");
        ModelDirectoryEnumerator enumerator = new ModelDirectoryEnumerator(context, later.toUri().toString(),
                Duration.ofMillis(100), ModelDirectoryState.INITIAL);
        enumerator.start();
        context.registerReader(new ReaderInfo(0, "localhost"));
        enumerator.handleSplitRequest(0, "localhost");
        list();
        assertThat(context.getSplitsAssignmentSequence()).isEmpty();

        Files.createDirectory(later);
        Files.write(later.resolve("model-1.json"), fileBytes(1, true));
        list();

        assertThat(versionsAssigned(0)).containsExactly(1L);
    }

    @Test
    void eachNamedSubdirectoryIsAModelOfItsOwnAndOtherDirectoriesAreNot() throws Throwable {
        ModelDirectoryEnumerator enumerator = started(ModelDirectoryState.INITIAL);
        publish(4);
        Path fraud = Files.createDirectory(models.resolve("fraud"));
        Files.write(fraud.resolve("model-1.json"), fileBytes(1, true));
        Files.write(fraud.resolve("model-2.json"), fileBytes(2, false));
        Path notAName = Files.createDirectory(models.resolve("Not A Name"));
        Files.write(notAName.resolve("model-9.json"), fileBytes(9, true));
        list();

        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        List<ModelCandidatesSplit> assigned = context.getSplitsAssignmentSequence().stream()
                .map(a -> a.assignment().get(0).get(0)).toList();
        assertThat(assigned).extracting(ModelCandidatesSplit::name).containsExactly("default", "fraud");
        assertThat(assigned.get(1).fresh()).extracting(Candidate::version).containsExactly(2L, 1L);
        assertThat(enumerator.snapshotState(1).highestHandedOut()).isEqualTo(Map.of("default", 4L, "fraud", 2L));
    }

    @Test
    void aStateOfTheBuildBeforeNamesRestoresAsTheDefaultModel() throws Throwable {
        // Version 1 of the state: the highest version, the split counter, one pending split (version 1 too).
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(7);
        out.writeLong(3);
        out.writeBoolean(true);
        out.writeUTF("models-2");
        out.writeInt(0);
        out.writeInt(1);
        out.writeLong(7);
        out.writeUTF(path(7));
        ModelDirectoryState state = new ModelDirectoryState.Serializer().deserialize(1, out.getCopyOfBuffer());

        assertThat(state.highestHandedOut()).isEqualTo(Map.of("default", 7L));
        assertThat(state.pending()).singleElement().satisfies(split -> {
            assertThat(split.name()).isEqualTo("default");
            assertThat(split.fresh()).extracting(Candidate::version).containsExactly(7L);
        });
        ModelDirectoryState.Serializer serializer = new ModelDirectoryState.Serializer();
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
    }

    private ModelDirectoryEnumerator started(ModelDirectoryState state) {
        ModelDirectoryEnumerator enumerator =
                new ModelDirectoryEnumerator(context, models.toUri().toString(), Duration.ofMillis(100), state);
        enumerator.start();
        context.registerReader(new ReaderInfo(0, "localhost"));
        return enumerator;
    }

    /** Runs one listing and its handler, as the poll timer would. */
    private void list() throws Throwable {
        context.runPeriodicCallable(0);
    }

    private List<Long> versionsAssigned(int assignment) {
        SplitsAssignment<ModelCandidatesSplit> assigned = context.getSplitsAssignmentSequence().get(assignment);
        return assigned.assignment().get(0).get(0).fresh().stream().map(Candidate::version).toList();
    }

    private void publish(long version) throws IOException {
        Files.write(models.resolve("model-" + version + ".json"), fileBytes(version, true));
    }

    private String path(long version) {
        return models.resolve("model-" + version + ".json").toUri().toString();
    }
}
