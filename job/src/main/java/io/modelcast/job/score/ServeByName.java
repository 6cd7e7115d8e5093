package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.model.rollout.Rollout;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scorer's path for a batch: each input to the model of its name (or the default name), and
 * there to the champion — or, while a rollout runs, to {@link RolloutScorer} — or, for vectors of a
 * previous champion's feature spec still on their way, to that champion. An input naming a model
 * the subtask does not hold is rejected ({@value ScoreWithLiveModels#UNKNOWN_MODEL}). One per
 * subtask, used by its thread.
 */
final class ServeByName {

    /** One batch in this many is timed for the histogram: timing every one would cost more than scoring. */
    static final int TIMING_SAMPLE = 128;

    private final LiveModelTable live;
    private final String defaultName;
    private final ResultEmitter emitter;
    private final RolloutScorer rollouts;
    private final Counter recordsForUnknownModels;
    private final Histogram scoringTimeNanos;
    private long batches;

    ServeByName(LiveModelTable live, String defaultName, ResultEmitter emitter, RolloutScorer rollouts,
            Counter recordsForUnknownModels, Histogram scoringTimeNanos) {
        this.live = live;
        this.defaultName = defaultName;
        this.emitter = emitter;
        this.rollouts = rollouts;
        this.recordsForUnknownModels = recordsForUnknownModels;
        this.scoringTimeNanos = scoringTimeNanos;
    }

    /** Scores each input with the model of its name: all at once when they name none, else name by name. */
    void route(InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        if (!batch.namesModels()) {
            serve(defaultName, batch, out, sides);
            return;
        }
        Map<String, int[]> byName = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String name = batch.model(i) == null ? defaultName : batch.model(i);
            int count = counts.getOrDefault(name, 0);
            int[] indices = byName.computeIfAbsent(name, n -> new int[batch.size()]);
            indices[count] = i;
            counts.put(name, count + 1);
        }
        if (byName.size() == 1) {
            serve(byName.keySet().iterator().next(), batch, out, sides);
            return;
        }
        byName.forEach((name, indices) -> serve(name, batch.select(indices, counts.get(name)), out, sides));
    }

    private void serve(String name, InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        ServedModel served = live.get(name);
        if (served == null) {
            for (int i = 0; i < batch.size(); i++) {
                recordsForUnknownModels.inc();
                sides.output(Descriptors.BAD_RECORDS, new RejectedRecord(batch.text(i), ScoreWithLiveModels.UNKNOWN_MODEL
                        + ": no model named " + name + " is loaded (publish one into the models directory's " + name
                        + "/, or name another)", batch.origin(i)));
            }
            return;
        }
        Optional<Rollout> rollout = served.activeRollout();
        if (rollout.isEmpty()) {
            Result.Role role = served.challenger().isPresent() ? Result.Role.CHAMPION : Result.Role.ONLY;
            // Vectors of the previous champion's spec, computed before a spec change reached their feature subtask.
            InputBatch rest = served.scoreWithPreviousSpec(batch, (previous, part) -> score(previous, name, role, part, out, sides));
            if (rest != null) {
                score(served.champion(), name, role, rest, out, sides);
            }
        } else if (rollout.get().mode() == Rollout.Mode.SHADOW) {
            rollouts.shadow(name, served, batch, out, sides);
        } else {
            rollouts.canary(name, served, rollout.get().percent(), batch, out, sides);
        }
    }

    private void score(ServedModel.Installed model, String name, Result.Role role, InputBatch batch, Collector<Result> out,
            ResultEmitter.SideOutputs sides) {
        emitter.begin(batch, name, role, model.update(), out, sides);
        if (++batches % TIMING_SAMPLE != 0 || batch.size() == 0) {
            model.score(batch, emitter);
            return;
        }
        long start = System.nanoTime();
        model.score(batch, emitter);
        scoringTimeNanos.update((System.nanoTime() - start) / batch.size());
    }
}
