package io.modelcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The {@code logistic} model type. Parameters:
 * {@code {"featureCount": 3, "weights": [0.5, -1.2, 2.0], "bias": 0.1, "threshold": 0.5,
 * "evaluation": {…}}} — {@code featureCount} must equal the number of weights; {@code threshold}
 * defaults to 0.5; {@code evaluation} is optional.
 */
public final class LogisticModelType implements ModelType<LogisticModel> {

    /** More weights than this is not a logistic regression anyone streams; it bounds the work a file can ask for. */
    public static final int MAX_FEATURES = 1_000_000;

    @Override
    public String name() {
        return LogisticModel.TYPE;
    }

    @Override
    public Class<LogisticModel> modelClass() {
        return LogisticModel.class;
    }

    @Override
    public LogisticModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        JsonNode weightsNode = required(parameters, "weights");
        if (!weightsNode.isArray() || weightsNode.isEmpty() || weightsNode.size() > MAX_FEATURES) {
            throw InvalidParametersException.invalid("weights", "must be an array of 1 to " + MAX_FEATURES + " numbers");
        }
        double[] weights = new double[weightsNode.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = finite(weightsNode.get(i), "weights[" + i + "]");
        }
        JsonNode count = required(parameters, "featureCount");
        if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() != weights.length) {
            throw InvalidParametersException.invalid("featureCount",
                    "must equal the number of weights (" + weights.length + "), was " + count);
        }
        double bias = finite(required(parameters, "bias"), "bias");
        double threshold = 0.5;
        JsonNode thresholdNode = parameters.get("threshold");
        if (thresholdNode != null && !thresholdNode.isNull()) {
            threshold = finite(thresholdNode, "threshold");
            if (threshold < 0 || threshold > 1) {
                throw InvalidParametersException.invalid("threshold", "must be between 0 and 1, was " + threshold);
            }
        }
        return new LogisticModel(weights, bias, threshold, Evaluation.fromJson(parameters.get("evaluation")));
    }

    @Override
    public ObjectNode toParameters(LogisticModel model) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        parameters.put("featureCount", model.featureCount());
        ArrayNode weights = parameters.putArray("weights");
        for (double w : model.weights()) {
            weights.add(w);
        }
        parameters.put("bias", model.bias());
        parameters.put("threshold", model.threshold());
        if (model.evaluation() != null) {
            parameters.set("evaluation", model.evaluation().toJson());
        }
        return parameters;
    }

    @Override
    public void writeBinary(LogisticModel model, DataOutput out) throws IOException {
        BinaryForm.writeFormat(out, BinaryForm.FORMAT_1);
        double[] weights = model.weights();
        out.writeInt(weights.length);
        for (double weight : weights) {
            out.writeDouble(weight);
        }
        out.writeDouble(model.bias());
        out.writeDouble(model.threshold());
    }

    @Override
    public LogisticModel readBinary(DataInput in) throws IOException {
        BinaryForm.readFormat(in, name(), BinaryForm.FORMAT_1);
        int count = in.readInt();
        if (count < 1 || count > MAX_FEATURES) {
            throw new IOException("a logistic model with " + count + " weights");
        }
        double[] weights = new double[count];
        for (int i = 0; i < count; i++) {
            weights[i] = in.readDouble();
        }
        double bias = in.readDouble();
        return new LogisticModel(weights, bias, in.readDouble(), null);
    }

    static JsonNode required(JsonNode parameters, String name) throws InvalidParametersException {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            throw InvalidParametersException.missing(name);
        }
        return node;
    }

    static double finite(JsonNode node, String name) throws InvalidParametersException {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw InvalidParametersException.invalid(name, "must be a finite number, not " + node);
        }
        return node.asDouble();
    }
}
