package io.modelcast.job.score;

import io.modelcast.job.drift.DriftTracker;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.records.InputBatch;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.rollout.Rollout;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a scoring subtask holds for one model name: the champion and, while one is rolled out, the
 * challenger, each with the update it was built from, and the challenger's live figures. Mutable,
 * used by its subtask's thread only (the metrics thread reads {@link #gauges()} snapshots).
 */
final class ServedModel {

    /** A live model, the update it was built from, and — if its file has a training profile — what counts its drift. */
    record Installed(ValidatedModel update, LiveModel model, Optional<DriftTracker> drift) {
        long version() {
            return update.version();
        }

        /** Scores {@code batch} into {@code sink}; a batch the drift tracker samples is counted on the way. */
        void score(InputBatch batch, ScoreSink sink) {
            if (drift.isPresent() && drift.get().sample(batch)) {
                model.score(batch, drift.get().scoring(sink));
            } else {
                model.score(batch, sink);
            }
        }
    }

    private Installed champion;
    private Installed challenger;
    /**
     * The champion before the current one, while the current one takes features of another spec:
     * it scores the vectors its own spec computed that were still on their way when it was replaced.
     */
    private Installed previousSpec;
    /** The fingerprint of {@link #previousSpec}'s feature spec. */
    private long previousFingerprint;
    private RolloutFigures figures;
    private boolean suspended;

    ServedModel(Installed champion) {
        this.champion = champion;
    }

    Installed champion() {
        return champion;
    }

    Optional<Installed> challenger() {
        return Optional.ofNullable(challenger);
    }

    /**
     * The inputs of {@code batch} whose features the previous champion's spec computed, scored by it
     * into {@code scorer}; returns the rest (null if none are left). A batch without such inputs is
     * returned as it is.
     */
    InputBatch scoreWithPreviousSpec(InputBatch batch, java.util.function.BiConsumer<Installed, InputBatch> scorer) {
        if (previousSpec == null || !batch.hasSpecs()) {
            return batch;
        }
        int[] previous = new int[batch.size()];
        int[] current = new int[batch.size()];
        int p = 0;
        int c = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.spec(i) == previousFingerprint) {
                previous[p++] = i;
            } else {
                current[c++] = i;
            }
        }
        if (p == 0) {
            return batch;
        }
        scorer.accept(previousSpec, p == batch.size() ? batch : batch.select(previous, p));
        return c == 0 ? null : batch.select(current, c);
    }

    /** The challenger's rollout, if one is running and not suspended. */
    Optional<Rollout> activeRollout() {
        return challenger == null || suspended ? Optional.empty() : challenger.update().rollout();
    }

    boolean suspended() {
        return suspended;
    }

    /** The highest version held, champion or challenger: updates not above it are old. */
    long highestVersion() {
        return challenger == null ? champion.version() : Math.max(champion.version(), challenger.version());
    }

    /**
     * Replaces the champion, which ends any rollout; returns what must be closed. A champion with a
     * feature spec replaced by one with another spec is kept, as {@link #previousSpec}, until the
     * next replacement.
     */
    Installed[] replaceChampion(Installed next) {
        Installed[] retired = {champion, challenger, previousSpec};
        Optional<FeatureSpec> spec = champion.update().featureSpec();
        previousSpec = null;
        if (spec.isPresent() && !spec.equals(next.update().featureSpec())) {
            previousSpec = champion;
            previousFingerprint = spec.get().fingerprint();
            retired[0] = null;
        }
        champion = next;
        challenger = null;
        figures = null;
        suspended = false;
        return retired;
    }

    /** Puts a challenger beside the champion; returns a challenger it replaces, if any, to be closed. */
    Installed startChallenger(Installed next, int subtask) {
        Installed previous = challenger;
        challenger = next;
        figures = new RolloutFigures(champion.version(), next.version(), subtask);
        suspended = false;
        return previous;
    }

    /** The challenger's figures, while one runs. */
    RolloutFigures figures() {
        return figures;
    }

    /** Stops the challenger scoring (the local safety net): the champion alone scores until the fitter decides. */
    void suspend() {
        suspended = true;
        figures.suspended();
    }

    /** The drift trackers of the champion and the challenger, where their files have profiles. */
    void forEachDriftTracker(Consumer<DriftTracker> action) {
        champion.drift().ifPresent(action);
        if (challenger != null) {
            challenger.drift().ifPresent(action);
        }
    }

    void close() {
        champion.model().close();
        if (previousSpec != null) {
            previousSpec.model().close();
        }
        if (challenger != null) {
            challenger.model().close();
        }
    }
}
