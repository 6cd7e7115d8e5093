package io.modelcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * How well a classifier did on a held-out set of labelled rows: written into the model file by
 * {@code fitter train}, for people and for the next training run to compare against.
 *
 * @param rows how many held-out rows
 * @param accuracy share of rows whose label was right, at the model's threshold
 * @param logLoss mean negative log-likelihood of the true labels (scores clipped to [1e-15, 1 − 1e-15])
 * @param auc area under the ROC curve: the chance that a random positive scores above a random negative
 */
public record Evaluation(int rows, double accuracy, double logLoss, double auc) {

    /** Evaluates {@code model} on labelled rows: {@code features} row-major, {@code labels} 0 or 1. */
    public static Evaluation of(FeatureModel model, float[] features, int[] labels) {
        int rows = labels.length;
        double[] scores = new double[rows];
        model.score(features, rows, scores);
        return of(scores, labels, model.threshold());
    }

    /** Evaluates scores against labels at a threshold. */
    public static Evaluation of(double[] scores, int[] labels, double threshold) {
        int rows = labels.length;
        if (rows == 0) {
            throw new IllegalArgumentException("no rows to evaluate on");
        }
        int right = 0;
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            int predicted = scores[i] >= threshold ? 1 : 0;
            if (predicted == labels[i]) {
                right++;
            }
            double p = Math.min(1 - 1e-15, Math.max(1e-15, scores[i]));
            loss -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return new Evaluation(rows, (double) right / rows, loss / rows, auc(scores, labels));
    }

    /** AUC by the rank-sum (Mann–Whitney) formula, ties counting one half; 0.5 if one class is absent. */
    static double auc(double[] scores, int[] labels) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Whether this beats {@code other}: a lower log-loss (the measure training minimises). */
    public boolean beats(Evaluation other) {
        return logLoss < other.logLoss;
    }

    /** The evaluation as written into a model's parameters. */
    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode()
                .put("rows", rows).put("accuracy", accuracy).put("logLoss", logLoss).put("auc", auc);
    }

    /** The evaluation in a model's parameters, or null if there is none. */
    public static Evaluation fromJson(JsonNode node) throws InvalidParametersException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("rows").canConvertToInt() || !node.path("accuracy").isNumber()
                || !node.path("logLoss").isNumber() || !node.path("auc").isNumber()) {
            throw InvalidParametersException.invalid("evaluation", "must be {\"rows\":…,\"accuracy\":…,\"logLoss\":…,\"auc\":…}");
        }
        return new Evaluation(node.get("rows").asInt(), node.get("accuracy").asDouble(), node.get("logLoss").asDouble(),
                node.get("auc").asDouble());
    }
}
