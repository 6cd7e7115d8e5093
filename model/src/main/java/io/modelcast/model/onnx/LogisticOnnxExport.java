package io.modelcast.model.onnx;

import io.modelcast.model.LogisticModel;

import java.util.List;

/**
 * A {@link LogisticModel} as an ONNX graph: {@code probability = Sigmoid(MatMul(features, weights)
 * + bias)}, input {@code features} (float, {@code [batch, k]}), output {@code probability} (float,
 * {@code [batch, 1]}). Weights become 32-bit floats, as ONNX Runtime computes.
 */
public final class LogisticOnnxExport {

    public static final String INPUT = "features";
    public static final String OUTPUT = "probability";

    private LogisticOnnxExport() {}

    public static byte[] export(LogisticModel model) {
        int k = model.featureCount();
        double[] weights = model.weights();
        float[] column = new float[k];
        for (int i = 0; i < k; i++) {
            column[i] = (float) weights[i];
        }
        return new OnnxGraph("logistic_regression")
                .input(INPUT, OnnxGraph.FLOAT, "batch", k)
                .initializer("weights", column, k, 1)
                .initializer("bias", new float[] {(float) model.bias()}, 1)
                .node("MatMul", List.of(INPUT, "weights"), List.of("logit_without_bias"))
                .node("Add", List.of("logit_without_bias", "bias"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of(OUTPUT))
                .output(OUTPUT, OnnxGraph.FLOAT, "batch", 1)
                .metadata("modelcast.source", "logistic regression trained by fitter train")
                .toByteArray();
    }
}
