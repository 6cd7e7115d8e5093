package io.modelcast.model.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.Model;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory.PublishedFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInput;
import java.io.DataOutput;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

class ModelDirectoryTest {

    private static final Instant NOW = Instant.parse("2026-11-21T06:40:00Z");

    @TempDir Path dir;

    private final ModelFileCodec codec = new ModelFileCodec();
    private final List<ModelFileException> invalid = new ArrayList<>();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @Test
    void publishWritesTheNextVersionAndPointsTheCurrentLinkAtIt() throws Exception {
        ModelDirectory models = open();

        ModelFile first = models.publish(newest -> new CustomModel(true), warnings::add);
        ModelFile second = models.publish(newest -> new CustomModel(false), warnings::add);

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(codec.read(dir.resolve("model-1.json")).model()).isEqualTo(new CustomModel(true));
        assertThat(codec.read(dir.resolve("model-2.json")).createdAt()).isEqualTo(NOW);
        Path link = dir.resolve(ModelDirectory.CURRENT_LINK_NAME);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Paths.get("model-2.json"));
    }

    @Test
    void nextModelIsComputedFromTheNewestPublishedOne() throws Exception {
        ModelDirectory models = open();
        List<Optional<ModelFile>> seen = new ArrayList<>();

        models.publish(newest -> record(seen, newest, new CustomModel(true)), warnings::add);
        models.publish(newest -> record(seen, newest, new CustomModel(false)), warnings::add);

        assertThat(seen.get(0)).isEmpty();
        assertThat(seen.get(1)).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(1));
    }

    @Test
    void theNewestModelReadToComputeTheNextIsClosedUnlessItIsPublishedAgain() throws Exception {
        ModelDirectory models = open();
        List<TrackedModel> read = new ArrayList<>();
        TrackedModel first = new TrackedModel();
        models.publish(newest -> first, warnings::add);

        ModelFile fresh = models.publish(newest -> {
            read.add((TrackedModel) newest.orElseThrow().model());
            return new TrackedModel();
        }, warnings::add);
        ModelFile same = models.publish(newest -> newest.orElseThrow().model(), warnings::add);
        models.rollback(warnings::add).model().close();

        assertThat(read).singleElement().satisfies(m -> assertThat(m.closed).as("the model read").isTrue());
        assertThat(((TrackedModel) fresh.model()).closed).as("a model published is the caller's").isFalse();
        assertThat(((TrackedModel) same.model()).closed).as("the model read and published again").isFalse();
        assertThat(TrackedModel.opened - TrackedModel.closedCount)
                .as("models still open: the three published, held by this test").isEqualTo(3);
    }

    @Test
    void leavesNoTemporaryOrPartialFilesVisibleToTheJob() throws Exception {
        ModelDirectory models = open();
        models.publish(newest -> new CustomModel(true), warnings::add);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .filteredOn(name -> !name.startsWith("."))
                    .containsExactlyInAnyOrder("model-1.json", "model-current.json");
        }
    }

    @Test
    void aConcurrentReaderOnlyEverSeesWholeFiles() throws Exception {
        ModelDirectory models = open();
        AtomicBoolean publishing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<Integer> reads =
                reader.submit(
                        () -> {
                            int count = 0;
                            while (publishing.get()) {
                                for (PublishedFile file : models.list()) {
                                    try {
                                        codec.read(file.path());
                                        count++;
                                    } catch (ModelFileException e) {
                                        problems.add(e.getMessage());
                                    }
                                }
                            }
                            return count;
                        });

        for (int i = 0; i < 200; i++) {
            models.publish(newest -> new CustomModel(true), warnings::add);
        }
        publishing.set(false);

        assertThat(reads.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(problems).isEmpty();
        reader.shutdown();
    }

    @Test
    void versionsAreNeverReusedAfterOldFilesAreDeleted() throws Exception {
        ModelDirectory models = open();
        for (int i = 0; i < 3; i++) {
            models.publish(newest -> new CustomModel(true), warnings::add);
        }
        for (PublishedFile file : models.list()) {
            Files.delete(file.path());
        }

        ModelFile next = models.publish(newest -> new CustomModel(true), warnings::add);

        assertThat(next.version()).isEqualTo(4);
    }

    @Test
    void concurrentPublishersInOneProcessGetDistinctVersions() throws Exception {
        ModelDirectory models = open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ModelFile>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            results.add(pool.submit(() -> models.publish(n -> new CustomModel(true), warnings::add)));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<ModelFile> result : results) {
            versions.add(result.get(30, TimeUnit.SECONDS).version());
        }
        pool.shutdown();

        Collections.sort(versions);
        assertThat(versions).doesNotHaveDuplicates().hasSize(40).startsWith(1L).endsWith(40L);
        assertThat(models.list()).hasSize(40);
    }

    @Test
    void keepNewestDeletesAllButTheNewestFiles() throws Exception {
        ModelDirectory models = open();
        for (int i = 0; i < 5; i++) {
            models.publish(newest -> new CustomModel(true), warnings::add);
        }

        List<Path> deleted = models.keepNewest(2);

        assertThat(deleted)
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("model-1.json", "model-2.json", "model-3.json");
        assertThat(models.list()).extracting(PublishedFile::version).containsExactly(5L, 4L);
        assertThat(models.publish(newest -> new CustomModel(true), warnings::add).version())
                .isEqualTo(6);
    }

    @Test
    void aCurrentLinkThatCannotBeUpdatedIsAWarningAndTheModelIsStillPublished() throws Exception {
        ModelDirectory models = open();
        models.publish(newest -> new CustomModel(true), warnings::add);
        // Something in the way of the link's temporary name: a non-empty directory.
        Files.createDirectories(dir.resolve(".model-current.json.tmp/blocker"));

        ModelFile second = models.publish(newest -> new CustomModel(false), warnings::add);

        assertThat(second.version()).isEqualTo(2);
        assertThat(codec.read(dir.resolve("model-2.json")).model()).isEqualTo(new CustomModel(false));
        assertThat(warnings).singleElement().asString()
                .startsWith("published model-2.json but could not point model-current.json at it");
        assertThat(dir.resolve("model-current.json")).as("no stale link to model-1.json").doesNotExist();
    }

    @Test
    void promoteRepublishesAnEarlierVersionsParametersUnderANewVersion() throws Exception {
        ModelDirectory models = open();
        models.publish(newest -> new CustomModel(true), warnings::add);
        models.publish(newest -> new CustomModel(false), warnings::add);

        ModelFile promoted = models.promote(1, warnings::add);

        assertThat(promoted.version()).isEqualTo(3);
        assertThat(promoted.promotedFrom()).hasValue(1);
        assertThat(codec.read(dir.resolve("model-3.json")).model()).isEqualTo(new CustomModel(true));
        assertThat(Files.readSymbolicLink(dir.resolve("model-current.json"))).isEqualTo(Paths.get("model-3.json"));
    }

    @Test
    void promotingAVersionThatIsNotThereFailsWithItsNumber() throws Exception {
        assertThatThrownBy(() -> open().promote(7, warnings::add))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no model version 7 is published here");
    }

    @Test
    void rollbackGoesBackOneStepEachTimeNotBackAndForth() throws Exception {
        ModelDirectory models = open();
        for (int i = 0; i < 3; i++) {
            models.publish(newest -> new CustomModel(newest.isEmpty() || !((CustomModel) newest.get().model()).isCloned()),
                    warnings::add);
        }

        ModelFile first = models.rollback(warnings::add);
        ModelFile second = models.rollback(warnings::add);

        assertThat(first.version()).isEqualTo(4);
        assertThat(first.promotedFrom()).hasValue(2);
        assertThat(second.version()).isEqualTo(5);
        assertThat(second.promotedFrom()).hasValue(1);
        assertThatThrownBy(() -> models.rollback(warnings::add)).hasMessageContaining("nothing to roll back to");
    }

    @Test
    void rollbackWithNothingPublishedSaysSo() {
        assertThatThrownBy(() -> open().rollback(warnings::add)).hasMessageContaining("no model is published");
    }

    @Test
    void keepNeedsAtLeastOneFile() throws Exception {
        assertThatThrownBy(() -> open().keepNewest(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keep must be at least 1");
    }

    @Test
    void newestValidSkipsAndReportsDamagedFiles() throws Exception {
        ModelDirectory models = open();
        models.publish(newest -> new CustomModel(false), warnings::add);
        Files.writeString(dir.resolve("model-2.json"), "{ half a fi");

        Optional<ModelFile> newest = models.newestValid(invalid::add);

        assertThat(newest).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(1));
        assertThat(invalid).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("model-2.json"));
    }

    @Test
    void listsOnlyPublishedModelFilesNewestFirst() throws Exception {
        Files.writeString(dir.resolve("model-10.json"), "{}");
        Files.writeString(dir.resolve("model-9.json"), "{}");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.writeString(dir.resolve(".model-11.json.tmp"), "");

        assertThat(open().list()).extracting(PublishedFile::version).containsExactly(10L, 9L);
    }

    @Test
    void openingAMissingDirectoryFailsWithItsName() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> ModelDirectory.open(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void openingAFileFails() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "");

        assertThatThrownBy(() -> ModelDirectory.open(file))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void recognisesPublishedFileNames() {
        assertThat(ModelDirectory.versionOf("model-17.json")).hasValue(17);
        assertThat(ModelDirectory.versionOf("model-current.json")).isEmpty();
        assertThat(ModelDirectory.versionOf(".model-17.json.tmp")).isEmpty();
        assertThat(ModelDirectory.fileName(17)).isEqualTo("model-17.json");
    }

    private ModelDirectory open() throws Exception {
        return ModelDirectory.open(dir, codec, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static CustomModel record(
            List<Optional<ModelFile>> seen, Optional<ModelFile> newest, CustomModel next) {
        seen.add(newest);
        return next;
    }

    /** A model that counts how many of its kind are open, as an ONNX model holds a native session. */
    static final class TrackedModel implements Model {
        static int opened;
        static int closedCount;

        static {
            ModelTypes.register(new ModelType<TrackedModel>() {
                @Override
                public String name() {
                    return "tracked";
                }

                @Override
                public Class<TrackedModel> modelClass() {
                    return TrackedModel.class;
                }

                @Override
                public TrackedModel fromParameters(JsonNode parameters) {
                    return new TrackedModel();
                }

                @Override
                public ObjectNode toParameters(TrackedModel model) {
                    return JsonNodeFactory.instance.objectNode();
                }

                @Override
                public void writeBinary(TrackedModel model, DataOutput out) {}

                @Override
                public TrackedModel readBinary(DataInput in) {
                    return new TrackedModel();
                }
            });
        }

        boolean closed;

        TrackedModel() {
            opened++;
        }

        @Override
        public String typeName() {
            return "tracked";
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                closedCount++;
            }
        }
    }
}
