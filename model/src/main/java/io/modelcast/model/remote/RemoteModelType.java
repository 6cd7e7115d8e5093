package io.modelcast.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcast.model.BinaryForm;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.ModelType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The {@code remote} model type: a pointer to a model server. Parameters:
 *
 * <pre>
 * {"endpoint": "http://127.0.0.1:8501", "name": "scorer", "servingVersion": 2,
 *  "timeoutMs": 1000, "retries": 2, "onFailure": "fallback", "fallbackVersion": 7, "threshold": 0.5}
 * </pre>
 *
 * {@code servingVersion} is optional (the server's default version); {@code timeoutMs} defaults to
 * {@value #DEFAULT_TIMEOUT_MS} (1 to {@value #MAX_TIMEOUT_MS}), {@code retries} to {@value
 * #DEFAULT_RETRIES} (0 to {@value #MAX_RETRIES}), {@code onFailure} to {@code fail}; {@code
 * fallbackVersion} is required with {@code "onFailure": "fallback"} and must name a local model.
 */
public final class RemoteModelType implements ModelType<RemoteModel> {

    public static final int DEFAULT_TIMEOUT_MS = 1000;
    public static final int MAX_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_RETRIES = 2;
    public static final int MAX_RETRIES = 10;

    /** TensorFlow Serving's model names are path segments: this keeps them to ones that need no escaping. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Override
    public String name() {
        return RemoteModel.TYPE;
    }

    @Override
    public Class<RemoteModel> modelClass() {
        return RemoteModel.class;
    }

    @Override
    public RemoteModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        URI endpoint = endpoint(required(parameters, "endpoint"));
        JsonNode nameNode = required(parameters, "name");
        if (!nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches()) {
            throw InvalidParametersException.invalid("name", "must be 1 to 128 letters, digits, '.', '_' or '-', was " + nameNode);
        }
        OptionalLong servingVersion = optionalPositive(parameters, "servingVersion");
        long timeoutMs = integer(parameters, "timeoutMs", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
        int retries = (int) integer(parameters, "retries", DEFAULT_RETRIES, 0, MAX_RETRIES);
        RemoteModel.OnFailure onFailure = RemoteModel.OnFailure.FAIL;
        JsonNode onFailureNode = parameters.get("onFailure");
        if (onFailureNode != null && !onFailureNode.isNull()) {
            onFailure = switch (onFailureNode.asText()) {
                case "fail" -> RemoteModel.OnFailure.FAIL;
                case "fallback" -> RemoteModel.OnFailure.FALLBACK;
                default -> throw InvalidParametersException.invalid("onFailure", "must be \"fail\" or \"fallback\", was " + onFailureNode);
            };
        }
        OptionalLong fallbackVersion = optionalPositive(parameters, "fallbackVersion");
        if (onFailure == RemoteModel.OnFailure.FALLBACK && fallbackVersion.isEmpty()) {
            throw InvalidParametersException.missing("fallbackVersion");
        }
        if (onFailure == RemoteModel.OnFailure.FAIL && fallbackVersion.isPresent()) {
            throw InvalidParametersException.invalid("fallbackVersion", "applies only with \"onFailure\": \"fallback\"");
        }
        double threshold = 0.5;
        JsonNode thresholdNode = parameters.get("threshold");
        if (thresholdNode != null && !thresholdNode.isNull()) {
            if (!thresholdNode.isNumber() || !(thresholdNode.asDouble() >= 0 && thresholdNode.asDouble() <= 1)) {
                throw InvalidParametersException.invalid("threshold", "must be a number between 0 and 1, was " + thresholdNode);
            }
            threshold = thresholdNode.asDouble();
        }
        return new RemoteModel(endpoint, nameNode.asText(), servingVersion, Duration.ofMillis(timeoutMs), retries,
                onFailure, fallbackVersion, threshold);
    }

    @Override
    public ObjectNode toParameters(RemoteModel model) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        parameters.put("endpoint", model.endpoint().toString());
        parameters.put("name", model.name());
        model.servingVersion().ifPresent(v -> parameters.put("servingVersion", v));
        parameters.put("timeoutMs", model.timeout().toMillis());
        parameters.put("retries", model.retries());
        parameters.put("onFailure", model.onFailure().name().toLowerCase(Locale.ROOT));
        model.fallbackVersion().ifPresent(v -> parameters.put("fallbackVersion", v));
        parameters.put("threshold", model.threshold());
        return parameters;
    }

    @Override
    public void writeBinary(RemoteModel model, DataOutput out) throws IOException {
        BinaryForm.writeFormat(out, BinaryForm.FORMAT_1);
        out.writeUTF(model.endpoint().toString());
        out.writeUTF(model.name());
        out.writeLong(model.servingVersion().orElse(0));
        out.writeLong(model.timeout().toMillis());
        out.writeInt(model.retries());
        out.writeBoolean(model.onFailure() == RemoteModel.OnFailure.FALLBACK);
        out.writeLong(model.fallbackVersion().orElse(0));
        out.writeDouble(model.threshold());
    }

    @Override
    public RemoteModel readBinary(DataInput in) throws IOException {
        BinaryForm.readFormat(in, name(), BinaryForm.FORMAT_1);
        URI endpoint = URI.create(in.readUTF());
        String modelName = in.readUTF();
        long servingVersion = in.readLong();
        Duration timeout = Duration.ofMillis(in.readLong());
        int retries = in.readInt();
        RemoteModel.OnFailure onFailure = in.readBoolean() ? RemoteModel.OnFailure.FALLBACK : RemoteModel.OnFailure.FAIL;
        long fallbackVersion = in.readLong();
        return new RemoteModel(endpoint, modelName, servingVersion == 0 ? OptionalLong.empty() : OptionalLong.of(servingVersion),
                timeout, retries, onFailure, fallbackVersion == 0 ? OptionalLong.empty() : OptionalLong.of(fallbackVersion),
                in.readDouble());
    }

    private static URI endpoint(JsonNode node) throws InvalidParametersException {
        String why = "must be an http or https address with a host, and no query or fragment, was " + node;
        if (!node.isTextual()) {
            throw InvalidParametersException.invalid("endpoint", why);
        }
        URI uri;
        try {
            uri = new URI(node.asText());
        } catch (URISyntaxException e) {
            throw InvalidParametersException.invalid("endpoint", why);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw InvalidParametersException.invalid("endpoint", why);
        }
        return uri;
    }

    private static JsonNode required(JsonNode parameters, String name) throws InvalidParametersException {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            throw InvalidParametersException.missing(name);
        }
        return node;
    }

    private static OptionalLong optionalPositive(JsonNode parameters, String name) throws InvalidParametersException {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
            throw InvalidParametersException.invalid(name, "must be a positive integer, was " + node);
        }
        return OptionalLong.of(node.asLong());
    }

    private static long integer(JsonNode parameters, String name, long defaultValue, long min, long max)
            throws InvalidParametersException {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw InvalidParametersException.invalid(name, "must be an integer from " + min + " to " + max + ", was " + node);
        }
        return node.asLong();
    }
}
