package io.modelcast.job.modelupdates;

import io.modelcast.model.rollout.Rollout;

import org.apache.flink.api.java.tuple.Tuple5;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the loader knows of each model name — the highest version let through, the champion and the
 * challenger in force — and the rules a new version of a name must pass: newer than every one let
 * through; within {@code --max-models} names; and, for a challenger (local or remote), beside a local
 * champion, the only challenger of its name, against the champion in force. Decisions are made here
 * once, with parallelism 1, so every scoring subtask can apply what it is sent as it comes. Not
 * thread-safe.
 */
final class ModelRoster {

    /** Reason code of a version not newer than one already let through for its name. */
    static final String NOT_NEWER = "NOT_NEWER";
    /** Reason code of a new name beyond {@code --max-models}. */
    static final String TOO_MANY_MODELS = "TOO_MANY_MODELS";
    /** Reason code of a challenger while its name already has one. */
    static final String CHALLENGER_ACTIVE = "CHALLENGER_ACTIVE";
    /** Reason code of a challenger whose champion version cannot be used. */
    static final String CHALLENGER_WITHOUT_CHAMPION = "CHALLENGER_WITHOUT_CHAMPION";
    /** Reason code of a challenger of a champion version older than the one in force. */
    static final String STALE_CHALLENGER = "STALE_CHALLENGER";
    /** Reason code of a challenger this build cannot run beside its champion: one beside a remote champion. */
    static final String CHALLENGER_UNSUPPORTED = "CHALLENGER_UNSUPPORTED";

    /** One name's standing: versions are 0 where there is none. */
    record Standing(long highest, long champion, long challenger, boolean remoteChampion) {
        static final Standing NONE = new Standing(0, 0, 0, false);
    }

    /** A version turned down: its reason code and what to tell the user. */
    record Refusal(String reason, String message) {}

    private final int maxModels;
    private final Map<String, Standing> names = new HashMap<>();

    ModelRoster(int maxModels) {
        this.maxModels = maxModels;
    }

    Standing standing(String name) {
        return names.getOrDefault(name, Standing.NONE);
    }

    /**
     * Why version {@code version} of {@code name} may not be let through, if it may not. A
     * challenger whose champion is older than the one it challenges passes only once that champion
     * has been let through ({@link #championNeeded}).
     */
    Optional<Refusal> check(String name, long version, Optional<Rollout> rollout) {
        Standing standing = standing(name);
        if (!names.containsKey(name) && names.size() >= maxModels) {
            return refuse(TOO_MANY_MODELS, "the job already holds " + maxModels + " model names (--max-models " + maxModels
                    + "); version " + version + " of the new name " + name + " is not loaded");
        }
        if (version <= standing.highest()) {
            return refuse(NOT_NEWER, "version " + version + " of model " + name + " is not newer than version "
                    + standing.highest() + " already loaded (versions must increase; to use these parameters again,"
                    + " publish them under a new version: fitter promote)");
        }
        if (rollout.isEmpty()) {
            return Optional.empty();
        }
        long champion = rollout.get().challenges();
        if (standing.challenger() != 0) {
            return refuse(CHALLENGER_ACTIVE, "version " + version + " of model " + name + " is a challenger, but version "
                    + standing.challenger() + " is already challenging; promote or retire it first (fitter rollout)");
        }
        if (standing.champion() > champion) {
            return refuse(STALE_CHALLENGER, "version " + version + " of model " + name + " challenges version " + champion
                    + ", but version " + standing.champion() + " is the champion now; publish the challenger again");
        }
        if (standing.champion() == champion && standing.remoteChampion()) {
            return refuse(CHALLENGER_UNSUPPORTED, "version " + version + " of model " + name + " challenges version "
                    + champion + ", a remote model; this build runs challengers only beside local champions");
        }
        return Optional.empty();
    }

    /** The champion version a challenger needs let through first, if it is not the one in force. */
    Optional<Long> championNeeded(String name, Rollout rollout) {
        return standing(name).champion() == rollout.challenges() ? Optional.empty() : Optional.of(rollout.challenges());
    }

    /** Records that {@code version} of {@code name} was let through. */
    void accepted(String name, long version, boolean remote, Optional<Rollout> rollout) {
        Standing standing = standing(name);
        names.put(name, rollout.isPresent()
                ? new Standing(version, standing.champion(), version, standing.remoteChampion())
                : new Standing(version, version, 0, remote));
    }

    /** The roster as checkpointed: one tuple per name (name, highest, champion, challenger, remote champion). */
    List<Tuple5<String, Long, Long, Long, Boolean>> snapshot() {
        List<Tuple5<String, Long, Long, Long, Boolean>> entries = new ArrayList<>(names.size());
        names.forEach((name, s) -> entries.add(Tuple5.of(name, s.highest(), s.champion(), s.challenger(), s.remoteChampion())));
        return entries;
    }

    void restore(Tuple5<String, Long, Long, Long, Boolean> entry) {
        names.put(entry.f0, new Standing(entry.f1, entry.f2, entry.f3, entry.f4));
    }

    /** Builds before model names checkpointed only the default model's highest version, which was its champion. */
    void restoreDefault(String name, long highest) {
        if (highest > standing(name).highest()) {
            names.put(name, new Standing(highest, highest, 0, false));
        }
    }

    private static Optional<Refusal> refuse(String reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }
}
