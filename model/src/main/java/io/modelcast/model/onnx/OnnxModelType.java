package io.modelcast.model.onnx;

import io.modelcast.model.BinaryForm;
import io.modelcast.model.Evaluation;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.ModelType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Base64;

/**
 * The {@code onnx} model type. Parameters: {@code {"onnx": "<base64 of the .onnx file>",
 * "threshold": 0.5, "outputName": "probabilities", "evaluation": {…}}} — only {@code onnx} is
 * required. Building the model opens an ONNX Runtime session, which the model's {@code close}
 * releases.
 */
public final class OnnxModelType implements ModelType<OnnxModel> {

    @Override
    public String name() {
        return OnnxModel.TYPE;
    }

    @Override
    public Class<OnnxModel> modelClass() {
        return OnnxModel.class;
    }

    @Override
    public OnnxModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        JsonNode onnx = parameters.get("onnx");
        if (onnx == null || onnx.isNull()) {
            throw InvalidParametersException.missing("onnx");
        }
        if (!onnx.isTextual()) {
            throw InvalidParametersException.invalid("onnx", "must be the model's bytes in base64, not " + onnx.getNodeType());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(onnx.asText());
        } catch (IllegalArgumentException e) {
            throw InvalidParametersException.invalid("onnx", "must be the model's bytes in base64: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw InvalidParametersException.invalid("onnx", "must not be empty");
        }
        double threshold = 0.5;
        JsonNode thresholdNode = parameters.get("threshold");
        if (thresholdNode != null && !thresholdNode.isNull()) {
            if (!thresholdNode.isNumber()) {
                throw InvalidParametersException.invalid("threshold", "must be a number between 0 and 1, not " + thresholdNode);
            }
            threshold = thresholdNode.asDouble();
        }
        JsonNode output = parameters.get("outputName");
        if (output != null && !output.isNull() && !output.isTextual()) {
            throw InvalidParametersException.invalid("outputName", "must be a string, not " + output);
        }
        return new OnnxModel(bytes, threshold, output == null || output.isNull() ? null : output.asText(),
                Evaluation.fromJson(parameters.get("evaluation")));
    }

    @Override
    public ObjectNode toParameters(OnnxModel model) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        parameters.put("onnx", Base64.getEncoder().encodeToString(model.onnx()));
        parameters.put("threshold", model.threshold());
        if (model.requestedOutput() != null) {
            parameters.put("outputName", model.requestedOutput());
        }
        if (model.evaluation() != null) {
            parameters.set("evaluation", model.evaluation().toJson());
        }
        return parameters;
    }

    /** The ONNX graph's bytes as they are (no base64), the threshold and the output's name. */
    @Override
    public void writeBinary(OnnxModel model, DataOutput out) throws IOException {
        BinaryForm.writeFormat(out, BinaryForm.FORMAT_1);
        byte[] onnx = model.onnx();
        out.writeInt(onnx.length);
        out.write(onnx);
        out.writeDouble(model.threshold());
        out.writeBoolean(model.requestedOutput() != null);
        if (model.requestedOutput() != null) {
            out.writeUTF(model.requestedOutput());
        }
    }

    @Override
    public OnnxModel readBinary(DataInput in) throws IOException {
        BinaryForm.readFormat(in, name(), BinaryForm.FORMAT_1);
        int length = in.readInt();
        if (length < 1) {
            throw new IOException("an ONNX model of " + length + " bytes");
        }
        byte[] onnx = new byte[length];
        in.readFully(onnx);
        double threshold = in.readDouble();
        String output = in.readBoolean() ? in.readUTF() : null;
        try {
            return new OnnxModel(onnx, threshold, output, null);
        } catch (InvalidParametersException e) {
            throw new IOException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }
}
