package io.modelcast.fitter;

import io.modelcast.model.Evaluation;
import io.modelcast.model.LogisticModel;
import java.util.Arrays;

/**
 * Fits a logistic regression by full-batch gradient descent on standardised features (mean 0,
 * standard deviation 1, from the training rows), with a small L2 penalty, and folds the
 * standardisation into the weights so the model applies to raw features. Deterministic: the same
 * rows give the same model.
 */
final class LogisticTrainer {

    private final int epochs;
    private final double learningRate;
    private final double l2;

    LogisticTrainer(int epochs, double learningRate, double l2) {
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.l2 = l2;
    }

    LogisticModel fit(LabelledData data, double threshold) {
        int n = data.rows();
        int k = data.featureCount();
        float[] x = data.features();
        double[] mean = new double[k];
        double[] scale = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                mean[j] += x[i * k + j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double d = x[i * k + j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < k; j++) {
            scale[j] = Math.sqrt(scale[j] / n);
            if (scale[j] == 0) {
                scale[j] = 1; // a constant feature: nothing to learn from it, and no division by zero
            }
        }
        double[] z = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                z[i * k + j] = (x[i * k + j] - mean[j]) / scale[j];
            }
        }
        double[] w = new double[k];
        double b = 0;
        double[] gradient = new double[k];
        for (int epoch = 0; epoch < epochs; epoch++) {
            Arrays.fill(gradient, 0);
            double gradientBias = 0;
            for (int i = 0; i < n; i++) {
                double logit = b;
                for (int j = 0; j < k; j++) {
                    logit += w[j] * z[i * k + j];
                }
                double error = LogisticModel.sigmoid(logit) - data.labels()[i];
                for (int j = 0; j < k; j++) {
                    gradient[j] += error * z[i * k + j];
                }
                gradientBias += error;
            }
            for (int j = 0; j < k; j++) {
                w[j] -= learningRate * (gradient[j] / n + l2 * w[j]);
            }
            b -= learningRate * gradientBias / n;
        }
        // w·((x − mean) / scale) + b  =  (w / scale)·x + (b − Σ w·mean / scale)
        double[] raw = new double[k];
        double bias = b;
        for (int j = 0; j < k; j++) {
            raw[j] = w[j] / scale[j];
            bias -= w[j] * mean[j] / scale[j];
        }
        return new LogisticModel(raw, bias, threshold, null);
    }

    /** The same model, with its evaluation on {@code holdout} recorded. */
    static LogisticModel evaluated(LogisticModel model, LabelledData holdout) {
        Evaluation evaluation = Evaluation.of(model, holdout.features(), holdout.labels());
        return new LogisticModel(model.weights(), model.bias(), model.threshold(), evaluation);
    }
}
