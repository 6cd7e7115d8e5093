package io.modelcast.model.rollout;

import java.util.Locale;

/**
 * What labels have said of one model version so far, added up over the job's evaluation records:
 * labelled records, their mean log-loss (exact: windows add up by their counts), and their AUC as
 * the mean of the windows' AUCs weighted by their labelled records (an approximation: AUCs of
 * separate windows do not add up exactly). Mutable; not thread-safe.
 */
public final class EvaluationEvidence {

    private final String model;
    private final long version;
    private long labelled;
    private long logLossLabelled;
    private double logLossSum;
    private long aucLabelled;
    private double aucSum;

    public EvaluationEvidence(String model, long version) {
        this.model = model;
        this.version = version;
    }

    /** Adds a record of this model version; records of others are ignored. Returns whether it was added. */
    public boolean add(EvaluationRecord record) {
        if (!record.model().equals(model) || record.modelVersion() != version || record.labelled() <= 0) {
            return false;
        }
        labelled += record.labelled();
        if (!Double.isNaN(record.logLoss())) {
            logLossLabelled += record.labelled();
            logLossSum += record.logLoss() * record.labelled();
        }
        if (!Double.isNaN(record.auc())) {
            aucLabelled += record.labelled();
            aucSum += record.auc() * record.labelled();
        }
        return true;
    }

    public long version() {
        return version;
    }

    public long labelled() {
        return labelled;
    }

    public double logLoss() {
        return logLossLabelled == 0 ? Double.NaN : logLossSum / logLossLabelled;
    }

    /** NaN until a window with both labels was evaluated. */
    public double auc() {
        return aucLabelled == 0 ? Double.NaN : aucSum / aucLabelled;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d labelled, AUC %s, log-loss %s", labelled,
                Double.isNaN(auc()) ? "n/a" : String.format(Locale.ROOT, "%.4f", auc()),
                Double.isNaN(logLoss()) ? "n/a" : String.format(Locale.ROOT, "%.4f", logLoss()));
    }
}
