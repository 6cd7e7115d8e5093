package io.modelcast.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.onnx.OnnxGraph;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.file.ModelFileException.Reason;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

class ModelFileCodecTest {

    private static final Instant CREATED = Instant.parse("2026-11-21T06:40:00.123Z");
    private static final String CLONED_SHA =
            ModelFileCodec.sha256Hex(
                    ModelFile.create(1, CREATED, new CustomModel(true)).parameters());

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelFileCodec codec = new ModelFileCodec();

    @Test
    void anOnnxModelOfMoreThanJacksonsDefaultStringLimitDecodes() throws Exception {
        // 16 MB of weights: 21 MB of base64, over the 20 MB Jackson allows a string by default.
        int hidden = 2_000_000;
        float[] weights = new float[hidden];
        Arrays.fill(weights, 1e-3f);
        byte[] onnx = new OnnxGraph("large")
                .input("features", OnnxGraph.FLOAT, "batch", 1)
                .initializer("w1", weights, 1, hidden)
                .initializer("w2", weights, hidden, 1)
                .node("MatMul", List.of("features", "w1"), List.of("h"))
                .node("MatMul", List.of("h", "w2"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", OnnxGraph.FLOAT, "batch", 1)
                .toByteArray();
        try (OnnxModel model = new OnnxModel(onnx, 0.5, null, null)) {
            byte[] file = codec.encode(ModelFile.create(3, CREATED, model));
            assertThat(file.length).isGreaterThan(20_000_000);

            ModelFile decoded = codec.decode("model-3.json", file);
            try (OnnxModel back = (OnnxModel) decoded.model()) {
                double[] expected = new double[1];
                double[] actual = new double[1];
                model.score(new float[] {1f}, 1, expected);
                back.score(new float[] {1f}, 1, actual);
                assertThat(actual).containsExactly(expected);
            }
        }
    }

    @Test
    void encodedFileDecodesToTheSameModel() throws Exception {
        ModelFile original = ModelFile.create(42, CREATED, new CustomModel(true));

        ModelFile decoded = codec.decode("model-42.json", codec.encode(original));

        assertThat(decoded.version()).isEqualTo(42);
        assertThat(decoded.createdAt()).isEqualTo(CREATED);
        assertThat(decoded.type()).isEqualTo("custom");
        assertThat(decoded.model()).isEqualTo(new CustomModel(true));
        assertThat(decoded.parametersSha256()).isEqualTo(original.parametersSha256());
    }

    @Test
    void aPromotedFileRecordsWhereItsParametersCameFrom() throws Exception {
        ModelFile source = ModelFile.create(3, CREATED, new CustomModel(true));
        ModelFile promoted = ModelFile.promote(9, CREATED, source);

        byte[] encoded = codec.encode(promoted);
        ModelFile decoded = codec.decode("model-9.json", encoded);

        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"promotedFrom\" : 3");
        assertThat(decoded.promotedFrom()).hasValue(3);
        assertThat(decoded.origin()).isEqualTo(3);
        assertThat(decoded.model()).isEqualTo(new CustomModel(true));
        assertThat(codec.decode("model-3.json", codec.encode(source)).promotedFrom()).isEmpty();
    }

    @Test
    void rejectsAPromotedFromThatIsNotAnEarlierVersion() {
        assertRejected(valid().replaceFirst("\\{", "{\"promotedFrom\": 7, "),
                Reason.INVALID_FIELD, "'promotedFrom' must be an earlier version");
    }

    @Test
    void encodedFileIsReadableJsonWithEveryField() {
        String json =
                new String(
                        codec.encode(ModelFile.create(3, CREATED, new CustomModel(false))),
                        StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"formatVersion\" : 2")
                .contains("\"type\" : \"custom\"")
                .contains("\"version\" : 3")
                .contains("\"createdAt\" : \"2026-11-21T06:40:00.123Z\"")
                .contains("\"isCloned\" : false")
                .contains("\"parametersSha256\" : \"")
                .endsWith("}\n");
    }

    @Test
    void versionOneFilesPublishedByEarlierBuildsStillRead() throws Exception {
        // Written by the build before format version 2 (fitter fit; fitter train; ModelFile.create
        // of a logistic model whose numbers Java writes as 5.0E-4, 1.0E-7, 3.0).
        ModelFile custom = codec.decode("custom-v1.json", resource("format-v1/custom-v1.json"));
        ModelFile trained = codec.decode("trained-logistic-v1.json", resource("format-v1/trained-logistic-v1.json"));
        ModelFile logistic = codec.decode("logistic-v1.json", resource("format-v1/logistic-v1.json"));

        assertThat(custom.model()).isEqualTo(new CustomModel(true));
        assertThat(trained.profile()).isPresent();
        assertThat(((LogisticModel) logistic.model()).weights()).containsExactly(5.0E-4, -1.0E-7, 3.0);
        // The file carries the version-1 checksum; the decoded file the version-2 one, so a promote re-publishes it right.
        assertThat(logistic.parametersSha256()).isEqualTo(ModelFileCodec.sha256Hex(logistic.parameters()))
                .isNotEqualTo(ModelFileCodec.version1Sha256Hex(logistic.parameters()));
        assertThat(codec.decode("model-8.json", codec.encode(ModelFile.promote(8, CREATED, logistic))).model())
                .isEqualTo(logistic.model());
    }

    @Test
    void aVersionOneChecksumDoesNotPassAsVersionTwo() throws Exception {
        String v1 = new String(resource("format-v1/logistic-v1.json"), StandardCharsets.UTF_8);

        assertRejected(v1.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"),
                Reason.CHECKSUM_MISMATCH, "(format version 2)");
    }

    @Test
    void versionTwoChecksumIsOverTheRfc8785FormOfTheParameters() throws Exception {
        // printf '%s' '{"bias":1,"weights":[0.0005,1e-7]}' | sha256sum
        JsonNode parameters = objectNode("{\"weights\": [5.0E-4, 1.0E-7], \"bias\": 1.0}");

        assertThat(JsonCanonicalization.canonicalize(parameters)).isEqualTo("{\"bias\":1,\"weights\":[0.0005,1e-7]}");
        assertThat(ModelFileCodec.sha256Hex(parameters))
                .isEqualTo("1a2e6bd59523458810b4a9cfce86061758563cd79661efdcca186c6b42f0e9d5");
    }

    @Test
    void rejectsParametersWithoutACanonicalForm() {
        String infinite = "{\"formatVersion\": 2, \"type\": \"custom\", \"version\": 7, "
                + "\"createdAt\": \"2026-11-21T06:40:00Z\", \"parameters\": {\"isCloned\": true, \"x\": 1e400},"
                + " \"parametersSha256\": \"00\"}";

        assertRejected(infinite, Reason.INVALID_PARAMETERS, "must be finite");
    }

    @Test
    void checksumIsTheSha256OfSortedCompactParameters() {
        // sha256 of {"isCloned":true}, as `printf '{"isCloned":true}' | sha256sum` prints it.
        assertThat(CLONED_SHA)
                .isEqualTo("b7087b5f7a363c845e5a4398aad8c77e5be953dd8fb95646d49128061667c520");
    }

    @Test
    void checksumDoesNotDependOnKeyOrderOrWhiteSpace() throws Exception {
        String file =
                """
                {"parameters": {  "isCloned" : true },
                 "parametersSha256": "%s", "version": 1, "type": "custom",
                 "createdAt": "2026-11-21T06:40:00Z", "formatVersion": 2}
                """
                        .formatted(CLONED_SHA);

        assertThat(decode(file).model()).isEqualTo(new CustomModel(true));
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() throws Exception {
        assertThat(decode(valid().replaceFirst("\\{", "{\"comment\": \"fitted by hand\", ")).version())
                .isEqualTo(7);
    }

    @Test
    void rejectsAnEmptyFile() {
        assertRejected(new byte[0], Reason.EMPTY, "model file model-7.json is empty");
    }

    @Test
    void rejectsAFileOverTheSizeLimit() {
        byte[] bytes = valid().getBytes(StandardCharsets.UTF_8);
        ModelFileCodec small = new ModelFileCodec(bytes.length - 1);

        assertThatThrownBy(() -> small.decode("model-7.json", bytes))
                .isInstanceOfSatisfying(
                        ModelFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("model-7.json is too large")
                .hasMessageContaining("limit of " + (bytes.length - 1) + " bytes");
    }

    @Test
    void rejectsBadJson() {
        assertRejected("{\"version\": ", Reason.BAD_JSON, "is not valid JSON");
        assertRejected("not json at all", Reason.BAD_JSON, "is not valid JSON");
        assertRejected("[1, 2]", Reason.BAD_JSON, "must be a JSON object, found array");
        assertRejected(valid() + " {}", Reason.BAD_JSON, "is not valid JSON");
    }

    @Test
    void rejectsAHalfWrittenFile() {
        byte[] whole = valid().getBytes(StandardCharsets.UTF_8);

        assertRejected(Arrays.copyOf(whole, whole.length / 2), Reason.BAD_JSON, "line");
    }

    @Test
    void rejectsDuplicateFields() {
        assertRejected(
                valid().replace("\"version\": 7", "\"version\": 7, \"version\": 8"),
                Reason.BAD_JSON,
                "Duplicate field 'version'");
    }

    @Test
    void rejectsEachMissingField() throws Exception {
        for (String field :
                new String[] {
                    "formatVersion", "type", "version", "createdAt", "parameters", "parametersSha256"
                }) {
            ObjectNode withoutField = (ObjectNode) JSON.readTree(valid());
            withoutField.remove(field);
            assertRejected(
                    JSON.writeValueAsString(withoutField),
                    Reason.MISSING_FIELD,
                    "the field '" + field + "' is missing");
        }
    }

    @Test
    void rejectsAMissingModelParameter() {
        String noParameter = fileWith("{}", ModelFileCodec.sha256Hex(objectNode("{}")));

        assertRejected(noParameter, Reason.MISSING_FIELD, "parameter 'isCloned' is missing");
    }

    @Test
    void rejectsAnInvalidModelParameter() {
        String stringParameter =
                fileWith(
                        "{\"isCloned\": \"yes\"}",
                        ModelFileCodec.sha256Hex(objectNode("{\"isCloned\": \"yes\"}")));

        assertRejected(
                stringParameter,
                Reason.INVALID_PARAMETERS,
                "parameter 'isCloned' must be true or false");
    }

    @Test
    void rejectsAnUnknownType() {
        assertRejected(
                valid().replace("\"custom\"", "\"xgboost\""),
                Reason.UNKNOWN_TYPE,
                "'xgboost' is not a model type this build knows (custom, logistic, onnx, remote)");
    }

    @Test
    void rejectsAnotherFormatVersion() {
        assertRejected(
                valid().replace("\"formatVersion\": 2", "\"formatVersion\": 3"),
                Reason.UNSUPPORTED_FORMAT_VERSION,
                "this build reads format versions 1 to 2");
    }

    @Test
    void rejectsParametersThatDoNotMatchTheirChecksum() {
        assertRejected(
                valid().replace("\"isCloned\": true", "\"isCloned\": false"),
                Reason.CHECKSUM_MISMATCH,
                "fails its checksum");
    }

    @Test
    void rejectsInvalidFields() {
        assertRejected(
                valid().replace("\"version\": 7", "\"version\": 0"),
                Reason.INVALID_FIELD,
                "'version' must be at least 1");
        assertRejected(
                valid().replace("\"version\": 7", "\"version\": 7.5"),
                Reason.INVALID_FIELD,
                "'version' must be a whole number");
        assertRejected(
                valid().replace("2026-11-21T06:40:00Z", "yesterday"),
                Reason.INVALID_FIELD,
                "'createdAt' must be an ISO-8601 instant");
        assertRejected(
                valid().replace("{\"isCloned\": true}", "[true]"),
                Reason.INVALID_FIELD,
                "'parameters' must be a JSON object");
    }

    @Test
    void readingAMissingFileNamesIt(@TempDir Path dir) {
        Path missing = dir.resolve("model-9.json");

        assertThatThrownBy(() -> codec.read(missing))
                .isInstanceOfSatisfying(
                        ModelFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void readingStopsAtTheSizeLimit(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("model-9.json");
        Files.write(big, new byte[4096]);

        assertThatThrownBy(() -> new ModelFileCodec(100).read(big))
                .isInstanceOfSatisfying(
                        ModelFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    private static String valid() {
        return fileWith("{\"isCloned\": true}", CLONED_SHA);
    }

    private static String fileWith(String parameters, String sha) {
        return "{\"formatVersion\": 2, \"type\": \"custom\", \"version\": 7, "
                + "\"createdAt\": \"2026-11-21T06:40:00Z\", \"parameters\": "
                + parameters
                + ", \"parametersSha256\": \""
                + sha
                + "\"}";
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = ModelFileCodecTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static JsonNode objectNode(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ModelFile decode(String json) throws ModelFileException {
        return codec.decode("model-7.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRejected(String json, Reason reason, String messagePart) {
        assertRejected(json.getBytes(StandardCharsets.UTF_8), reason, messagePart);
    }

    private void assertRejected(byte[] bytes, Reason reason, String messagePart) {
        assertThatThrownBy(() -> codec.decode("model-7.json", bytes))
                .isInstanceOfSatisfying(
                        ModelFileException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.source()).isEqualTo("model-7.json");
                        })
                .hasMessageStartingWith("model file model-7.json ")
                .hasMessageContaining(messagePart);
    }
}
