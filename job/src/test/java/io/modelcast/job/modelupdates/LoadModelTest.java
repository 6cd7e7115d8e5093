package io.modelcast.job.modelupdates;

import static io.modelcast.job.TestModels.file;
import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.modelcast.job.BadModelFile;
import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.store.ModelBytes;
import io.modelcast.job.store.ModelStore;
import io.modelcast.job.TestModels;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.sources.ModelFiles;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInput;
import java.io.DataOutput;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

class LoadModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withAModelStoreTheUpdateCarriesAReferenceAndOldCopiesAreDeleted(@TempDir Path dir) throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store").toUri().toString());
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.CSV, false, 1000).storingIn(store))) {
            for (int v = 1; v <= LoadModel.STORED_UPDATES_KEPT + 2; v++) {
                LogisticModel model = new LogisticModel(new double[] {v, -v}, 0.5, 0.5, null);
                harness.processElement(ModelFileBytes.read("models/model-" + v + ".json",
                        new ModelFileCodec().encode(ModelFile.create(v, Instant.now(), model))), 0);
                ValidatedModel update = harness.extractOutputValues().get(v - 1);
                assertThat(update.bytes()).isInstanceOf(ModelBytes.Stored.class);
                assertThat(update.bytes().read()).isEqualTo(BinaryForm.of(model));
            }
        }
        try (var files = Files.list(dir.resolve("store"))) {
            assertThat(files.count()).as("the copies of the last updates only").isEqualTo(LoadModel.STORED_UPDATES_KEPT);
        }
    }

    @Test
    void aModelStoreThatCannotBeWrittenLeavesTheBytesInTheUpdate(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("store"), "a file where the store should be");
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, false, 1000)
                        .storingIn(new ModelStore(notADirectory.toUri().toString())))) {
            harness.processElement(file(1, true), 0);

            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(update -> assertThat(update.bytes()).isEqualTo(new ModelBytes.Inline(BinaryForm.of(new CustomModel(true)))));
        }
    }

    @Test
    void aValidFileBecomesAnUpdateCarryingItsModelInBinaryForm() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(3, true), 0);

            assertThat(harness.extractOutputValues()).containsExactly(TestModels.update(3, true));
        }
    }

    @Test
    void eachBadFileIsRejectedWithItsReasonAndNothingIsBroadcast() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(BadModelFile.SIZE_LIMIT)) {
            List<String> expected = new ArrayList<>();
            long version = 2;
            for (BadModelFile bad : BadModelFile.values()) {
                String path = "models/model-" + version + ".json";
                harness.processElement(ModelFileBytes.read(path, bad.bytes(version++)), 0);
                expected.add(path + " " + bad.reason());
            }
            harness.processElement(ModelFileBytes.unreadable("gone.json", "java.io.FileNotFoundException: gone.json"), 0);
            expected.add("gone.json UNREADABLE");

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).extracting(r -> r.file + " " + r.reason).containsExactlyElementsOf(expected);
            assertThat(rejected(harness)).allSatisfy(r -> assertThat(r.message).contains(r.file));
        }
    }

    @Test
    void aRemoteModelNeedsRemoteScoringAndItsFallbackTravelsWithIt(@TempDir Path models)
            throws Exception {
        ModelFileCodec codec = new ModelFileCodec();
        Path fallback = models.resolve("model-1.json");
        Files.write(fallback, codec.encode(ModelFile.create(1, Instant.now(),
                new CustomModel(true))));
        byte[] pointer = codec.encode(ModelFile.create(2, Instant.now(),
                new RemoteModel(URI.create("http://127.0.0.1:1"), "seed",
                        OptionalLong.empty(), Duration.ofSeconds(1), 0,
                        RemoteModel.OnFailure.FALLBACK, OptionalLong.of(1), 0.5)));
        String path = models.resolve("model-2.json").toString();
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> off = ProcessFunctionTestHarnesses.forProcessFunction(
                new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, false, 1000))) {
            off.processElement(ModelFileBytes.read(path, pointer), 0);
            assertThat(off.extractOutputValues()).isEmpty();
            assertThat(rejected(off)).extracting(r -> r.reason).containsExactly(LoadModel.REMOTE_DISABLED);
            assertThat(rejected(off).get(0).message).contains("--remote-requests");
        }
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> on = ProcessFunctionTestHarnesses.forProcessFunction(
                new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, true, 1000))) {
            on.processElement(ModelFileBytes.read(path, pointer), 0);
            ValidatedModel update = on.extractOutputValues().get(0);
            assertThat(update.version()).isEqualTo(2);
            assertThat(update.fallback()).hasValueSatisfying(local -> {
                assertThat(local.version()).isEqualTo(1);
                assertThat(local.source()).isEqualTo(fallback.toString());
                assertThat(local.bytes()).isEqualTo(new ModelBytes.Inline(BinaryForm.of(new CustomModel(true))));
            });
        }
    }

    @Test
    void badOnnxFilesAreRejectedBeforeBroadcast() throws Exception {
        byte[] threeDimensional = new OnnxGraph("images")
                .input("pixels", OnnxGraph.FLOAT, "batch", 4, 4)
                .node("Identity", List.of("pixels"), List.of("out"))
                .output("out", OnnxGraph.FLOAT, "batch", 4, 4)
                .toByteArray();
        byte[] good = LogisticOnnxExport.export(new LogisticModel(new double[] {1, 2}, 0, 0.5, null));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.CSV, false, 1000))) {
            harness.processElement(ModelFileBytes.read("models/model-1.json",
                    onnxFile(1, "not an ONNX model".getBytes(StandardCharsets.UTF_8), null)), 0);
            harness.processElement(ModelFileBytes.read("models/model-2.json", onnxFile(2, threeDimensional, null)), 0);
            harness.processElement(ModelFileBytes.read("models/model-3.json", onnxFile(3, good, "scores")), 0);

            assertThat(harness.extractOutputValues()).as("updates broadcast").isEmpty();
            assertThat(rejected(harness)).extracting(r -> r.reason).containsOnly("INVALID_PARAMETERS");
            assertThat(rejected(harness)).extracting(r -> r.message).satisfiesExactly(
                    m -> assertThat(m).contains("model-1.json").contains("is not a model ONNX Runtime can load"),
                    m -> assertThat(m).contains("model-2.json").contains("has input 'pixels'"),
                    m -> assertThat(m).contains("model-3.json").contains("names output 'scores'"));

            harness.processElement(ModelFileBytes.read("models/model-4.json", onnxFile(4, good, null)), 0);
            assertThat(harness.extractOutputValues()).extracting(u -> u.version()).containsExactly(4L);
        }
    }

    /** An {@code onnx} model file holding {@code onnx} as its model, with a valid checksum, whatever the bytes are. */
    private static byte[] onnxFile(long version, byte[] onnx, String outputName) throws Exception {
        ObjectNode parameters = JSON.createObjectNode();
        parameters.put("onnx", Base64.getEncoder().encodeToString(onnx));
        parameters.put("threshold", 0.5);
        if (outputName != null) {
            parameters.put("outputName", outputName);
        }
        ObjectNode file = (ObjectNode) JSON.readTree(TestModels.fileBytes(version, true));
        file.put("type", "onnx");
        file.set("parameters", parameters);
        file.put("parametersSha256", ModelFileCodec.sha256Hex(parameters));
        return JSON.writeValueAsBytes(file);
    }

    @Test
    void aModelThatFailsItsProbeIsRejectedNamingTheInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(ModelFileBytes.read("models/model-9.json", BadModelFile.PROBE_FAILS.bytes(9)), 0);

            assertThat(rejected(harness)).singleElement().satisfies(r -> assertThat(r.message)
                    .contains("model-9.json", "version 9", "probe input -7", "cannot score -7"));
        }
    }

    @Test
    void aFileOfTheCurrentVersionAgainIsRejectedAsNotNewer() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            // model-5.json deleted and copied back: the source hands it out again, as reappeared.
            harness.processElement(file(5, true), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version()).containsExactly(5L);
            assertThat(rejected(harness)).extracting(r -> r.file + " " + r.reason)
                    .containsExactly("models/model-5.json " + LoadModel.NOT_NEWER);
        }
    }

    @Test
    void aModelTypeThatThrowsIsARejectionNotAFailure() throws Exception {
        ModelTypes.register(new ThrowingType());
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(fileBytes(3, true));
        byte[] file = new ObjectMapper().writeValueAsBytes(json.put("type", ThrowingType.NAME));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(ModelFileBytes.read("models/model-3.json", file), 0);

            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo("INVALID_PARAMETERS");
                assertThat(r.message).contains("model-3.json", "IllegalStateException", "broken type");
            });
        }
    }

    /** A model type whose own code throws on any parameters. */
    private static final class ThrowingType implements ModelType<CustomModel> {
        static final String NAME = "test-throwing-type";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Class<CustomModel> modelClass() {
            return CustomModel.class;
        }

        @Override
        public CustomModel fromParameters(JsonNode parameters) {
            throw new IllegalStateException("broken type");
        }

        @Override
        public ObjectNode toParameters(CustomModel model) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeBinary(CustomModel model, DataOutput out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CustomModel readBinary(DataInput in) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aVersionNotNewerThanOneAlreadyLoadedIsRejected() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(5, true), 0);
            harness.processElement(file(4, false), 0);
            harness.processElement(file(6, false), 0);

            assertThat(harness.extractOutputValues()).extracting(u -> u.version()).containsExactly(5L, 6L);
            assertThat(rejected(harness))
                    .extracting(r -> r.reason)
                    .containsExactly(LoadModel.NOT_NEWER);
            assertThat(rejected(harness).get(0).message).contains("version 4 of model default is not newer than version 5");
        }
    }

    @Test
    void theHighestLoadedVersionSurvivesARestore() throws Exception {
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(file(7, true), 0);
            state = harness.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> restored =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, false, 1000)))) {
            restored.initializeState(state);
            restored.open();
            restored.processElement(file(6, false), 0);
            restored.processElement(file(8, false), 0);

            assertThat(restored.extractOutputValues()).extracting(u -> u.version()).containsExactly(8L);
        }
    }

    @Test
    void aChallengerReadAloneBringsItsChampionFirstAndASecondOneIsRefused(@TempDir Path dir) throws Exception {
        ModelDirectory directory = ModelDirectory.open(dir);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("canary:10"),
                new Rollout.Policy(100, 0.01, 0.2), warning -> {});
        Files.write(dir.resolve("model-3.json"), new ModelFileCodec().encode(ModelFile.create(3, Instant.EPOCH,
                new CustomModel(true)).asChallenger(Rollout.shadow(1, new Rollout.Policy(100, 0.01, 0.2)))));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            // What the source hands on at start-up: the newest valid file only.
            harness.processElement(ModelFiles.read(dir.resolve("model-2.json").toString(), 1 << 20), 0);
            harness.processElement(ModelFiles.read(dir.resolve("model-3.json").toString(), 1 << 20), 0);

            assertThat(harness.extractOutputValues()).extracting(ValidatedModel::version, ValidatedModel::isChallenger)
                    .containsExactly(tuple(1L, false), tuple(2L, true));
            assertThat(rejected(harness)).extracting(r -> r.reason).containsExactly(ModelRoster.CHALLENGER_ACTIVE);
        }
    }

    @Test
    void aChallengerWhoseChampionIsGoneIsRejected(@TempDir Path dir) throws Exception {
        ModelDirectory directory = ModelDirectory.open(dir);
        directory.publish(newest -> new CustomModel(true), warning -> {});
        directory.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                new Rollout.Policy(100, 0.01, 0.2), warning -> {});
        Files.delete(dir.resolve("model-1.json"));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness = harness(ModelFileCodec.DEFAULT_MAX_BYTES)) {
            harness.processElement(ModelFiles.read(dir.resolve("model-2.json").toString(), 1 << 20), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo(ModelRoster.CHALLENGER_WITHOUT_CHAMPION);
                assertThat(r.message).contains("challenges model version 1").contains("cannot be used");
            });
        }
    }

    @Test
    void aNewNameBeyondMaxModelsIsRejected() throws Exception {
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.INT, false, 2))) {
            harness.processElement(file(1, true).named("a"), 0);
            harness.processElement(file(1, true).named("b"), 0);
            harness.processElement(file(1, true).named("c"), 0);
            harness.processElement(file(2, true).named("a"), 0);

            assertThat(harness.extractOutputValues()).extracting(ValidatedModel::name, ValidatedModel::version)
                    .containsExactly(tuple("a", 1L), tuple("b", 1L), tuple("a", 2L));
            assertThat(rejected(harness)).extracting(r -> r.reason).containsExactly(ModelRoster.TOO_MANY_MODELS);
        }
    }

    private static List<RejectedModel> rejected(OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness) {
        return harness.getSideOutput(Descriptors.REJECTED_MODELS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aTrainingProfileTravelsWithItsModelAndOneThatDoesNotFitIsRejected() throws Exception {
        ModelFileCodec codec = new ModelFileCodec();
        LogisticModel model = new LogisticModel(new double[] {1, 2}, 0, 0.5, null);
        float[] rows = {0, 1, 1, 0, 2, 2, -1, 3};
        Profile fits = Profile.of(rows, 2, new double[] {0.1, 0.5, 0.9, 0.4});
        Profile tooNarrow = Profile.of(rows, 1, new double[] {0.1, 0.5, 0.9, 0.4, 0.2, 0.3, 0.6, 0.7});
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.CSV, false, 1000))) {
            harness.processElement(ModelFileBytes.read("models/model-1.json",
                    codec.encode(ModelFile.create(1, Instant.now(), model).withProfile(Optional.of(fits)))), 0);
            harness.processElement(ModelFileBytes.read("models/model-2.json",
                    codec.encode(ModelFile.create(2, Instant.now(), model).withProfile(Optional.of(tooNarrow)))), 0);

            assertThat(harness.extractOutputValues()).singleElement().satisfies(update -> assertThat(update.profile()).contains(fits));
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo(ModelValidator.PROFILE_MISMATCH);
                assertThat(r.message).contains("a training profile of 1 features for a model that takes 2");
            });
        }
    }

    @Test
    void aModelThatComputesItsFeaturesFromRawEventsIsRejectedByAJobOfReadyMadeInputs() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"features\": [{\"name\": \"amount\", \"op\": \"value\", \"of\": \"amount\"},"
                        + " {\"name\": \"n\", \"op\": \"count\", \"by\": \"user\", \"last\": 5}]}"));
        LogisticModel model = new LogisticModel(new double[] {1, 2}, 0, 0.5, null);
        byte[] file = new ModelFileCodec().encode(ModelFile.create(1, Instant.now(), model)
                .withTraining(new TrainingFacts(Optional.empty(), Optional.of(spec))));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.CSV, false, 1000))) {
            harness.processElement(ModelFileBytes.read("models/model-1.json", file), 0);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo(ModelValidator.INPUT_MISMATCH);
                assertThat(r.message).contains("declares features computed from raw events").contains("[amount, n]");
            });
        }
    }

    @Test
    void aJobOfRawEventsTakesAModelWithAFeatureSpecAndBroadcastsTheSpecButRefusesOneWithout() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"features\": [{\"name\": \"amount\", \"op\": \"value\", \"of\": \"amount\"},"
                        + " {\"name\": \"n\", \"op\": \"count\", \"by\": \"user\", \"last\": 5}]}"));
        LogisticModel model = new LogisticModel(new double[] {1, 2}, 0, 0.5, null);
        ModelFileCodec codec = new ModelFileCodec();
        byte[] withSpec = codec.encode(ModelFile.create(1, Instant.now(), model)
                .withTraining(new TrainingFacts(Optional.empty(), Optional.of(spec))));
        byte[] without = codec.encode(ModelFile.create(2, Instant.now(), model));
        try (OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(ModelFileCodec.DEFAULT_MAX_BYTES, InputFormat.EVENTS, false, 1000))) {
            harness.processElement(ModelFileBytes.read("models/model-1.json", withSpec), 0);
            harness.processElement(ModelFileBytes.read("models/model-2.json", without), 0);

            assertThat(harness.extractOutputValues()).singleElement().satisfies(update -> assertThat(update.featureSpec()).contains(spec));
            assertThat(rejected(harness)).singleElement().satisfies(r -> {
                assertThat(r.reason).isEqualTo(ModelValidator.INPUT_MISMATCH);
                assertThat(r.message).contains("declares no feature spec, but this job reads raw events");
            });
        }
    }

    private static OneInputStreamOperatorTestHarness<ModelFileBytes, ValidatedModel> harness(long maxBytes) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new LoadModel(maxBytes, InputFormat.INT, false, 1000));
    }
}
