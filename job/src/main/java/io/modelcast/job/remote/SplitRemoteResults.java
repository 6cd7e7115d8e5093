package io.modelcast.job.remote;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.RemoteOutcome;
import io.modelcast.job.records.RemoteOutcome.Challenged;
import io.modelcast.job.records.Result;
import io.modelcast.job.score.ModelAgeLimit;
import io.modelcast.job.score.RolloutFigures;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sorts what {@link CallRemoteModel} returns: results to the main output, results of a model older
 * than {@code --max-model-age} to {@link Descriptors#STALE}, inputs no model could score to
 * {@link Descriptors#BAD_RECORDS} with the reason — the same outputs a local model's results take —
 * and a remote shadow challenger's lines to {@link Descriptors#SHADOW}.
 *
 * <p>It also keeps a remote challenger's side of each rollout: what the challenger made of each
 * input (and, where a failed canary call was stood in for, the champion), in {@link RolloutFigures}
 * of its own, sent to {@link Descriptors#ROLLOUT_FIGURES} every report interval while they change, for
 * the report to add to the scoring subtasks' figures. Like theirs, they are not checkpointed.
 */
public final class SplitRemoteResults extends ProcessFunction<RemoteOutcome, Result> {

    private final ModelAgeLimit maxModelAge;
    private final long reportIntervalMillis;

    /** Per name, the figures of its remote challenger's rollout. */
    private transient Map<String, RolloutFigures> rollouts;
    /** The names whose figures changed since they were last sent. */
    private transient Set<String> changed;
    private transient long lastReportMillis;

    /**
     * @param maxModelAge results of an older model go to the stale output
     * @param reportInterval how often a remote challenger's figures are sent
     */
    public SplitRemoteResults(ModelAgeLimit maxModelAge, Duration reportInterval) {
        this.maxModelAge = maxModelAge;
        this.reportIntervalMillis = reportInterval.toMillis();
    }

    @Override
    public void processElement(RemoteOutcome outcome, Context ctx, Collector<Result> out) {
        if (outcome instanceof RemoteOutcome.Scored scored) {
            Result result = scored.result();
            if (maxModelAge.exceededBy(result.modelAgeMs())) {
                ctx.output(Descriptors.STALE, result);
            } else {
                out.collect(result);
            }
            if (scored.challenger().isPresent()) {
                RolloutFigures figures = count(scored.challenger().get());
                if (scored.challenger().get().failed()) {
                    // The champion stood in for the canary's failed call.
                    figures.champion(false, result.score().orElse(0), result.isPrediction());
                }
            }
        } else if (outcome instanceof RemoteOutcome.Rejected rejected) {
            ctx.output(Descriptors.BAD_RECORDS, rejected.rejected());
            // A canary's input no model could score: the champion failed on it too.
            rejected.challenger().ifPresent(c -> count(c).champion(true, 0, false));
        } else {
            RemoteOutcome.Shadowed shadowed = (RemoteOutcome.Shadowed) outcome;
            ctx.output(Descriptors.SHADOW, shadowed.line());
            count(shadowed.challenged()).compared(shadowed.agreed());
        }
        reportIfDue(ctx);
    }

    /** Counts the challenger's side of one input in its rollout's figures, and returns them. */
    private RolloutFigures count(Challenged challenged) {
        if (rollouts == null) {
            rollouts = new HashMap<>();
            changed = new HashSet<>();
            lastReportMillis = System.currentTimeMillis();
        }
        RolloutFigures figures = rollouts.get(challenged.model());
        if (figures == null || figures.challengerVersion != challenged.challengerVersion()) {
            figures = RolloutFigures.ofRemote(challenged.championVersion(), challenged.challengerVersion(),
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
            rollouts.put(challenged.model(), figures);
        }
        changed.add(challenged.model());
        figures.challenger(challenged.failed(), challenged.score().orElse(0), challenged.score().isPresent());
        figures.challengerTime(challenged.nanosPerInput());
        return figures;
    }

    /** Sends the figures that changed since the last report interval. */
    private void reportIfDue(Context ctx) {
        if (changed == null || changed.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastReportMillis < reportIntervalMillis) {
            return;
        }
        lastReportMillis = now;
        for (String name : changed) {
            ctx.output(Descriptors.ROLLOUT_FIGURES, rollouts.get(name).copyFor(name, now));
        }
        changed.clear();
    }
}
