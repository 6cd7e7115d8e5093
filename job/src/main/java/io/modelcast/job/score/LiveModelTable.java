package io.modelcast.job.score;

import io.modelcast.job.drift.DriftTracker;
import io.modelcast.job.modelupdates.ModelRecovery;
import io.modelcast.job.modelupdates.ValidatedModel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The models a scoring subtask holds, by name ({@link ServedModel}), and the one place that builds
 * and installs them: a champion replaces its name's champion and ends any rollout; a challenger
 * joins its champion. What an update replaces is closed at once. {@link #build} may run on another
 * thread ({@link ModelBuilds}); installing is the subtask's. Written by the subtask's thread
 * only; concurrent so the metrics thread can read gauges' figures.
 */
final class LiveModelTable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveModelTable.class);

    private final int subtask;
    private final int batchSize;
    private final long driftWindowMillis;
    private final Map<String, ServedModel> live = new ConcurrentHashMap<>();
    private Consumer<String> challengerStarted = name -> {};

    /**
     * @param batchSize at most this many inputs go into one model call or remote request
     * @param driftWindowMillis the length of a drift window, for models whose files have training profiles
     */
    LiveModelTable(int subtask, int batchSize, long driftWindowMillis) {
        this.subtask = subtask;
        this.batchSize = batchSize;
        this.driftWindowMillis = driftWindowMillis;
    }

    /** Tells {@code listener} the name of each challenger started from now on, and of those already running. */
    void onChallenger(Consumer<String> listener) {
        challengerStarted = listener;
        live.forEach((name, served) -> served.challenger().ifPresent(c -> listener.accept(name)));
    }

    ServedModel get(String name) {
        return live.get(name);
    }

    /** A name's champion, if the subtask holds the name. */
    Optional<ServedModel.Installed> champion(String name) {
        return Optional.ofNullable(live.get(name)).map(ServedModel::champion);
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    int size() {
        return live.size();
    }

    void forEach(BiConsumer<String, ServedModel> action) {
        live.forEach(action);
    }

    /** Builds and installs the live model of an update, closing what it replaces; false (and logged) if it cannot be. */
    boolean install(ValidatedModel update) {
        if (!canJoin(update)) {
            return false;
        }
        LiveModel model;
        try {
            model = LiveModels.build(update, batchSize);
        } catch (Exception e) {
            logBuildFailure(update, e);
            return false;
        }
        return install(update, model);
    }

    /** Builds the live model of an update; thread-safe, so it may run off the subtask's thread. */
    LiveModel build(ValidatedModel update) throws Exception {
        return LiveModels.build(update, batchSize);
    }

    /** Says that a model could not be built; the subtask keeps what it has. */
    void logBuildFailure(ValidatedModel update, Exception e) {
        // The loader built this model from the same bytes, so this is unexpected — but a model
        // type's own code failing must not fail the job over and over.
        LOG.error("Subtask {} cannot build version {} of model {} ({}); keeping what it has: {}",
                subtask, update.version(), update.name(), update.source(), e.toString());
    }

    /**
     * Installs a built live model, closing what it replaces; false (logged, and the model closed)
     * if the update is a challenger its name cannot take.
     */
    boolean install(ValidatedModel update, LiveModel model) {
        if (!canJoin(update)) {
            model.close();
            return false;
        }
        ServedModel served = live.get(update.name());
        ServedModel.Installed installed = new ServedModel.Installed(update, model, update.profile().map(profile ->
                new DriftTracker(profile, update.name(), update.version(), subtask, driftWindowMillis, System.currentTimeMillis())));
        if (served == null) {
            live.put(update.name(), new ServedModel(installed));
            LOG.info("Subtask {} loaded model {} version {} ({})", subtask, update.name(), update.version(), update.source());
        } else if (update.isChallenger()) {
            ServedModel.Installed previous = served.startChallenger(installed, subtask);
            if (previous != null) {
                previous.model().close();
            }
            challengerStarted.accept(update.name());
            LOG.info("Subtask {} runs version {} of model {} as a {} challenger of version {} ({})", subtask,
                    update.version(), update.name(), update.rollout().get().describe(), served.champion().version(),
                    update.source());
        } else {
            long before = served.champion().version();
            for (ServedModel.Installed retired : served.replaceChampion(installed)) {
                if (retired != null) {
                    retired.model().close();
                }
            }
            LOG.info("Subtask {} swapped model {} version {} -> {} ({})", subtask, update.name(), before,
                    update.version(), update.source());
        }
        return true;
    }

    /**
     * Rebuilds a restored champion; if it cannot be — its copy in the model store is gone, say —
     * installs the newest valid file of its name in the models directory instead (with a WARN),
     * never no model unless there is none.
     *
     * @param recovery where to fall back to; null if the job has none
     * @return what was installed — {@code update} itself or its replacement — or empty if nothing could be
     */
    Optional<ValidatedModel> restore(ValidatedModel update, ModelRecovery recovery) {
        LiveModel model;
        try {
            model = build(update);
        } catch (Exception e) {
            Optional<ValidatedModel> found = recovery == null ? Optional.empty()
                    : recovery.newestValid(update.name(), why -> LOG.warn("Subtask {} passes over {}", subtask, why));
            if (found.isPresent() && install(found.get())) {
                LOG.warn("Subtask {} cannot rebuild model {} version {} from its checkpoint ({}); it scores with version {}"
                        + " from {} instead", subtask, update.name(), update.version(), e.toString(),
                        found.get().version(), found.get().source());
                return found;
            }
            LOG.error("Subtask {} cannot rebuild model {} version {} from its checkpoint ({}), and {}: records naming it"
                    + " are rejected ({}) until a valid version is published", subtask, update.name(), update.version(),
                    e.toString(), recovery == null ? "the job has no models directory to fall back to"
                            : "no file of that name in the models directory is valid", ScoreWithLiveModels.UNKNOWN_MODEL);
            return Optional.empty();
        }
        install(update, model);
        return Optional.of(update);
    }

    /** Whether the update is a champion, or a challenger whose name has a local champion to join. */
    private boolean canJoin(ValidatedModel update) {
        ServedModel served = live.get(update.name());
        if (update.isChallenger() && (served == null || served.champion().model() instanceof RemoteLiveModel)) {
            // The loader lets a challenger through only beside a local champion; a savepoint of an
            // older build may still hold a remote one.
            LOG.warn("Subtask {} ignores challenger version {} of model {}: {}", subtask, update.version(), update.name(),
                    served == null ? "the name has no champion" : "its champion is a remote model");
            return false;
        }
        return true;
    }

    void close() {
        live.values().forEach(ServedModel::close);
        live.clear();
    }
}
