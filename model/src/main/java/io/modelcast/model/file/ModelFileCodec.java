package io.modelcast.model.file;

import io.modelcast.model.FeatureModel;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.Model;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;
import io.modelcast.model.file.ModelFileException.Reason;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.FeatureSpecException;
import io.modelcast.model.rollout.Rollout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads and writes model files (see {@link ModelFile} for the format).
 *
 * <p>Reading is strict: every problem becomes a {@link ModelFileException} that names the file and
 * the problem. Files are bounded by size before they are parsed, and nothing read is ever
 * deserialized into code: parameters are plain JSON handed to the model type. Instances are
 * immutable and thread-safe.
 */
public final class ModelFileCodec {

    /**
     * The format version this build writes. Version 2 takes the checksum over the parameters in the
     * JSON Canonicalization Scheme (RFC 8785, {@link JsonCanonicalization}), which any language can
     * compute; version 1 took it over Jackson's compact output of Java's doubles ({@code 5.0E-4}).
     */
    public static final int FORMAT_VERSION = 2;

    /** The first format version, still read: files published by earlier builds stay valid. */
    public static final int FIRST_FORMAT_VERSION = 1;

    /** The default size limit: broadcast state lives on the heap of every scoring subtask. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    static final String FORMAT_VERSION_FIELD = "formatVersion";
    static final String TYPE_FIELD = "type";
    static final String VERSION_FIELD = "version";
    static final String CREATED_AT_FIELD = "createdAt";
    static final String PARAMETERS_FIELD = "parameters";
    static final String CHECKSUM_FIELD = "parametersSha256";
    static final String PROMOTED_FROM_FIELD = "promotedFrom";
    static final String FEATURE_SPEC_FIELD = "featureSpec";

    /**
     * Jackson caps a string at 20 MB by default, which would cap an ONNX model (base64 in its file)
     * at about 15 MB whatever the size limit; the file's size is bounded by {@link #maxBytes()}, so
     * no string can be longer than that.
     */
    private static JsonFactory factory() {
        // One per mapper: a mapper makes itself its factory's codec.
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
    }

    private static final ObjectMapper MAPPER =
            JsonMapper.builder(factory())
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    /** Compact and without a pretty printer: format version 1's canonical form had no white space. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder(factory()).build();

    private final long maxBytes;

    /** A codec with the {@linkplain #DEFAULT_MAX_BYTES default size limit}. */
    public ModelFileCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A codec that refuses files larger than {@code maxBytes}. */
    public ModelFileCodec(long maxBytes) {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    "the model size limit must be between 1 byte and 2 GiB, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The file's bytes: pretty-printed JSON, UTF-8, ending in a newline. */
    public byte[] encode(ModelFile file) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put(FORMAT_VERSION_FIELD, FORMAT_VERSION);
        root.put(TYPE_FIELD, file.type());
        root.put(VERSION_FIELD, file.version());
        root.put(CREATED_AT_FIELD, file.createdAt().toString());
        root.set(PARAMETERS_FIELD, file.parameters().deepCopy());
        root.put(CHECKSUM_FIELD, file.parametersSha256());
        file.promotedFrom().ifPresent(from -> root.put(PROMOTED_FROM_FIELD, from));
        file.rollout().ifPresent(rollout -> RolloutFormat.write(rollout, root));
        file.profile().ifPresent(profile -> ProfileFormat.write(profile, root));
        file.featureSpec().ifPresent(spec -> root.set(FEATURE_SPEC_FIELD, spec.toJson()));
        try {
            byte[] json = MAPPER.writeValueAsBytes(root);
            byte[] withNewline = new byte[json.length + 1];
            System.arraycopy(json, 0, withNewline, 0, json.length);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode model file", e);
        }
    }

    /**
     * Reads a model file, reading at most {@link #maxBytes()} + 1 bytes whatever size the file
     * system reports, so a growing or odd file cannot take the heap.
     */
    public ModelFile read(Path file) throws ModelFileException {
        String source = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) maxBytes + 1);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(source, Reason.UNREADABLE, "the file does not exist", e);
        } catch (IOException e) {
            throw new ModelFileException(source, Reason.UNREADABLE, e.toString(), e);
        }
        return decode(source, bytes);
    }

    /**
     * Decodes and checks a model file's bytes.
     *
     * @param source the file's name or path, used in error messages
     * @param bytes the file's content; more than {@link #maxBytes()} is refused
     * @throws ModelFileException naming {@code source} and the first problem found
     */
    public ModelFile decode(String source, byte[] bytes) throws ModelFileException {
        if (bytes.length == 0) {
            throw new ModelFileException(source, Reason.EMPTY, "the file has 0 bytes");
        }
        if (bytes.length > maxBytes) {
            throw new ModelFileException(
                    source,
                    Reason.TOO_LARGE,
                    "it has more than the limit of " + maxBytes + " bytes");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ModelFileException(source, Reason.BAD_JSON, describe(e), e);
        } catch (IOException e) {
            throw new ModelFileException(source, Reason.BAD_JSON, e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException(
                    source,
                    Reason.BAD_JSON,
                    "the top level must be a JSON object, found "
                            + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }

        JsonNode formatVersion = required(source, root, FORMAT_VERSION_FIELD);
        if (!formatVersion.isIntegralNumber()
                || formatVersion.asLong() < FIRST_FORMAT_VERSION
                || formatVersion.asLong() > FORMAT_VERSION) {
            throw new ModelFileException(
                    source,
                    Reason.UNSUPPORTED_FORMAT_VERSION,
                    "'"
                            + FORMAT_VERSION_FIELD
                            + "' is "
                            + formatVersion
                            + "; this build reads format versions "
                            + FIRST_FORMAT_VERSION
                            + " to "
                            + FORMAT_VERSION);
        }

        JsonNode typeNode = required(source, root, TYPE_FIELD);
        if (!typeNode.isTextual()) {
            throw invalidField(source, TYPE_FIELD, "must be a string", typeNode);
        }
        ModelType<?> type =
                ModelTypes.byName(typeNode.textValue())
                        .orElseThrow(
                                () ->
                                        new ModelFileException(
                                                source,
                                                Reason.UNKNOWN_TYPE,
                                                "'"
                                                        + typeNode.textValue()
                                                        + "' is not a model type this build knows ("
                                                        + ModelTypes.knownNames()
                                                        + ")"));

        JsonNode versionNode = required(source, root, VERSION_FIELD);
        if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong()) {
            throw invalidField(source, VERSION_FIELD, "must be a whole number", versionNode);
        }
        long version = versionNode.longValue();
        if (version < 1) {
            throw invalidField(source, VERSION_FIELD, "must be at least 1", versionNode);
        }

        JsonNode createdAtNode = required(source, root, CREATED_AT_FIELD);
        Instant createdAt;
        try {
            createdAt = Instant.parse(createdAtNode.asText());
        } catch (DateTimeParseException e) {
            throw invalidField(
                    source,
                    CREATED_AT_FIELD,
                    "must be an ISO-8601 instant such as 2026-11-21T06:40:00Z",
                    createdAtNode);
        }

        JsonNode parametersNode = required(source, root, PARAMETERS_FIELD);
        if (!parametersNode.isObject()) {
            throw invalidField(source, PARAMETERS_FIELD, "must be a JSON object", parametersNode);
        }
        ObjectNode parameters = (ObjectNode) parametersNode;

        JsonNode checksumNode = required(source, root, CHECKSUM_FIELD);
        String computed;
        try {
            computed = sha256Hex(parameters);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, Reason.INVALID_PARAMETERS, e.getMessage(), e);
        }
        String expected = formatVersion.asLong() == 1 ? version1Sha256Hex(parameters) : computed;
        if (!checksumNode.isTextual() || !expected.equals(checksumNode.textValue())) {
            throw new ModelFileException(
                    source,
                    Reason.CHECKSUM_MISMATCH,
                    "'"
                            + CHECKSUM_FIELD
                            + "' is "
                            + checksumNode
                            + " but the parameters hash to \""
                            + expected
                            + "\" (format version "
                            + formatVersion
                            + ")");
        }

        Model model;
        try {
            model = type.fromParameters(parameters);
        } catch (InvalidParametersException e) {
            throw new ModelFileException(
                    source,
                    e.isMissing() ? Reason.MISSING_FIELD : Reason.INVALID_PARAMETERS,
                    e.getMessage(),
                    e);
        }
        OptionalLong promotedFrom = OptionalLong.empty();
        JsonNode promotedFromNode = root.get(PROMOTED_FROM_FIELD);
        if (promotedFromNode != null && !promotedFromNode.isNull()) {
            if (!promotedFromNode.isIntegralNumber() || !promotedFromNode.canConvertToLong()
                    || promotedFromNode.longValue() < 1 || promotedFromNode.longValue() >= version) {
                throw invalidField(source, PROMOTED_FROM_FIELD, "must be an earlier version", promotedFromNode);
            }
            promotedFrom = OptionalLong.of(promotedFromNode.longValue());
        }
        Optional<Rollout> rollout;
        Optional<Profile> profile;
        Optional<FeatureSpec> featureSpec;
        try {
            rollout = RolloutFormat.read(source, root, version);
            profile = ProfileFormat.read(source, root);
            featureSpec = featureSpec(source, root, model);
        } catch (ModelFileException e) {
            model.close();
            throw e;
        }
        return new ModelFile(version, createdAt, model, parameters, computed, promotedFrom, rollout, profile, featureSpec);
    }

    /**
     * The lowercase hex SHA-256 of a value's UTF-8 {@linkplain JsonCanonicalization canonical form}:
     * the checksum of format version 2, and the one a {@link ModelFile} carries whatever version
     * its file had.
     *
     * @throws IllegalArgumentException if the value has no canonical form (an infinite number)
     */
    public static String sha256Hex(JsonNode node) {
        return sha256Hex(JsonCanonicalization.canonicalize(node));
    }

    /**
     * Format version 1's checksum: over Jackson's compact output with keys sorted, numbers as Java
     * writes them. Only read, never written.
     */
    static String version1Sha256Hex(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = CANONICAL.getFactory().createGenerator(out)) {
            writeCanonical(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write canonical JSON", e);
        }
        return sha256Hex(out.toString(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void writeCanonical(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            generator.writeStartObject();
            for (String name : names) {
                generator.writeFieldName(name);
                writeCanonical(generator, node.get(name));
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(generator, element);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }

    /** The file's feature spec, if it has one; it must declare as many features as the model takes. */
    private static Optional<FeatureSpec> featureSpec(String source, JsonNode root, Model model) throws ModelFileException {
        JsonNode node = root.get(FEATURE_SPEC_FIELD);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        FeatureSpec spec;
        try {
            spec = FeatureSpec.fromJson(node);
        } catch (FeatureSpecException e) {
            throw new ModelFileException(source, Reason.INVALID_FEATURE_SPEC, e.getMessage());
        }
        if (!(model instanceof FeatureModel features) || features.featureCount() != spec.features().size()) {
            throw new ModelFileException(source, Reason.INVALID_FEATURE_SPEC, "its feature spec declares "
                    + spec.features().size() + " features but the model takes "
                    + (model instanceof FeatureModel features ? features.featureCount() + " features" : "integers"));
        }
        return Optional.of(spec);
    }

    private static JsonNode required(String source, JsonNode root, String field)
            throws ModelFileException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new ModelFileException(
                    source, Reason.MISSING_FIELD, "the field '" + field + "' is missing");
        }
        return value;
    }

    private static ModelFileException invalidField(
            String source, String field, String rule, JsonNode value) {
        return new ModelFileException(
                source, Reason.INVALID_FIELD, "'" + field + "' " + rule + ", found " + value);
    }

    private static String describe(JsonProcessingException e) {
        String where =
                e.getLocation() == null
                        ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ")";
        return e.getOriginalMessage() + where;
    }
}
