package io.modelcast.job.score;

import io.modelcast.job.modelupdates.ModelRecovery;
import io.modelcast.job.modelupdates.ValidatedModel;

import org.apache.flink.api.common.state.BroadcastState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scoring subtask's broadcast state, kept equal to what it holds: each name's champion under the
 * name, its challenger, while one runs, under the name and {@value #CHALLENGER_KEY_SUFFIX}. After a
 * restore it rebuilds the live models from that state, champions first; an entry that cannot be
 * rebuilt is replaced by what {@link LiveModelTable#restore} falls back to, or dropped, with a WARN.
 */
final class ModelsInState {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsInState.class);

    /** The broadcast-state key of a name's challenger: its name and this (not a name character). */
    static final String CHALLENGER_KEY_SUFFIX = "@challenger";

    private final BroadcastState<String, ValidatedModel> state;

    ModelsInState(BroadcastState<String, ValidatedModel> state) {
        this.state = state;
    }

    /** Rebuilds the restored models into {@code live}: champions first, as a challenger joins its champion. */
    void restoreInto(LiveModelTable live, ModelRecovery recovery, int subtask) throws Exception {
        List<Map.Entry<String, ValidatedModel>> challengers = new ArrayList<>();
        List<Map.Entry<String, ValidatedModel>> restored = new ArrayList<>();
        state.entries().forEach(entry -> restored.add(Map.entry(entry.getKey(), entry.getValue())));
        for (Map.Entry<String, ValidatedModel> entry : restored) {
            if (entry.getValue().isChallenger()) {
                challengers.add(entry);
                continue;
            }
            Optional<ValidatedModel> installed = live.restore(entry.getValue(), recovery);
            if (installed.isEmpty()) {
                state.remove(entry.getKey());
            } else if (installed.get() != entry.getValue()) {
                state.put(entry.getKey(), installed.get());
            }
        }
        for (Map.Entry<String, ValidatedModel> challenger : challengers) {
            if (!live.install(challenger.getValue())) {
                LOG.warn("Subtask {} drops challenger version {} of model {} from its state: it cannot be rebuilt",
                        subtask, challenger.getValue().version(), challenger.getValue().name());
                state.remove(challenger.getKey());
            }
        }
    }

    /** Puts an accepted update into broadcast state: a champion also ends its name's rollout there. */
    void remember(ValidatedModel update) throws Exception {
        if (update.isChallenger()) {
            state.put(update.name() + CHALLENGER_KEY_SUFFIX, update);
        } else {
            state.put(update.name(), update);
            state.remove(update.name() + CHALLENGER_KEY_SUFFIX);
        }
    }

    /** Sets a name's entries back to the models the subtask holds of it (a replacement could not be built). */
    void resetTo(String name, ServedModel served) {
        try {
            state.put(name, served.champion().update());
            if (served.challenger().isPresent()) {
                state.put(name + CHALLENGER_KEY_SUFFIX, served.challenger().get().update());
            } else {
                state.remove(name + CHALLENGER_KEY_SUFFIX);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot update the broadcast state of model " + name, e);
        }
    }
}
