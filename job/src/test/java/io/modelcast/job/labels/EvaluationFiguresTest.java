package io.modelcast.job.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** Accuracy, log-loss and the binned AUC against references computed here from the raw pairs. */
class EvaluationFiguresTest {

    @Test
    void theFiguresMatchTheirDefinitionsOnTheRawPairs() {
        Random random = new Random(42);
        int n = 20_000;
        double[] scores = new double[n];
        int[] labels = new int[n];
        EvaluationFigures figures = new EvaluationFigures();
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            // Positives score higher on average: an informative but imperfect model.
            double z = random.nextGaussian() + (labels[i] == 1 ? 1.2 : 0);
            scores[i] = 1 / (1 + Math.exp(-z));
            figures.add(labelled(scores[i], labels[i]));
        }

        long correct = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            correct += (scores[i] >= 0.5 ? 1 : 0) == labels[i] ? 1 : 0;
            logLoss -= labels[i] == 1 ? Math.log(scores[i]) : Math.log(1 - scores[i]);
        }
        assertThat(figures.records).isEqualTo(n);
        assertThat(figures.accuracy()).isCloseTo((double) correct / n, within(1e-12));
        assertThat(figures.logLoss()).isCloseTo(logLoss / n, within(1e-9));
        assertThat(figures.auc()).as("within the binning error of 100 bins").isCloseTo(exactAuc(scores, labels), within(0.002));
    }

    @Test
    void aucIsNotANumberWithOneClassAndHalfForIdenticalScores() {
        EvaluationFigures oneClass = new EvaluationFigures();
        oneClass.add(labelled(0.7, 1));
        assertThat(oneClass.auc()).isNaN();

        EvaluationFigures ties = new EvaluationFigures();
        ties.add(labelled(0.5, 1));
        ties.add(labelled(0.5, 0));
        assertThat(ties.auc()).isEqualTo(0.5);
    }

    @Test
    void mergedFiguresEqualFiguresOfEverything() {
        EvaluationFigures a = new EvaluationFigures();
        EvaluationFigures b = new EvaluationFigures();
        EvaluationFigures all = new EvaluationFigures();
        for (int i = 0; i < 100; i++) {
            LabelledPrediction p = labelled(i / 100.0, i % 3 == 0 ? 1 : 0);
            (i % 2 == 0 ? a : b).add(p);
            all.add(p);
        }
        EvaluationFigures merged = a.merge(b);
        assertThat(merged.auc()).isEqualTo(all.auc());
        assertThat(merged.logLoss()).isCloseTo(all.logLoss(), within(1e-12));
        assertThat(merged.accuracy()).isEqualTo(all.accuracy());
    }

    /** The chance that a positive outscores a negative, ties half, over every pair. */
    private static double exactAuc(double[] scores, int[] labels) {
        double ordered = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] == 0) {
                    pairs++;
                    ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return ordered / pairs;
    }

    private static LabelledPrediction labelled(double score, int actual) {
        return new LabelledPrediction(new Prediction("x", "m", 1, "only", score, score >= 0.5 ? 1 : 0), actual);
    }
}
