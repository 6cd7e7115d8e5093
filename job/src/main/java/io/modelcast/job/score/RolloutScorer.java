package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.Result;

import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * How a scoring subtask scores a name while its challenger runs: a shadow scores every input beside
 * the champion, whose outcomes go on, and both go to {@link Descriptors#SHADOW}; a canary scores the
 * inputs {@link CanarySplit} gives it in the champion's place, and an input it fails on is scored by
 * the champion instead. Both sides are counted in the rollout's {@link RolloutFigures}; a challenger
 * failing on more than {@value #SUSPEND_ERROR_RATE} of at least {@value #SUSPEND_MIN_RECORDS}
 * records is suspended at once (the local safety net). One per subtask; its buffers are reused.
 *
 * <p>A remote challenger's inputs leave as requests that carry the champion's outcomes: the remote
 * step makes the shadow line, or stands the champion's result in for a failed canary call, and counts
 * the challenger's side in figures of its own. The safety net is local only: a failing remote
 * challenger costs no result (the champion stands in) and is retired from the report.
 */
final class RolloutScorer {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutScorer.class);

    /** A challenger failing on more than this share of its records … */
    static final double SUSPEND_ERROR_RATE = 0.5;
    /** … once it has scored at least this many, is suspended on its subtask. */
    static final long SUSPEND_MIN_RECORDS = 100;

    private final ResultEmitter emitter;
    private final int subtask;
    private final Counter suspensions;
    private final CapturedOutcomes championOutcomes = new CapturedOutcomes();
    private final CapturedOutcomes challengerOutcomes = new CapturedOutcomes();

    RolloutScorer(ResultEmitter emitter, int subtask, Counter suspensions) {
        this.emitter = emitter;
        this.subtask = subtask;
        this.suspensions = suspensions;
    }

    /** Both score every input; the champion's outcomes go on, both go to the shadow output. */
    void shadow(String name, ServedModel served, InputBatch batch, Collector<Result> out, ResultEmitter.SideOutputs sides) {
        ServedModel.Installed champion = served.champion();
        ServedModel.Installed challenger = served.challenger().get();
        RolloutFigures figures = served.figures();
        champion.score(batch, championOutcomes.reset(batch.size()));
        long start = System.nanoTime();
        challenger.score(batch, challengerOutcomes.reset(batch.size()));
        timeLocal(figures, start, batch.size());
        emitter.begin(batch, name, Result.Role.CHAMPION, champion.update(), out, sides);
        for (int i = 0; i < batch.size(); i++) {
            championOutcomes.replay(i, emitter, i);
            count(figures, true, championOutcomes, i);
            if (challengerOutcomes.pending(i)) {
                continue;
            }
            count(figures, false, challengerOutcomes, i);
            figures.compared(championOutcomes.agrees(challengerOutcomes, i));
            sides.output(Descriptors.SHADOW, ShadowLine.of(name, batch, i, champion.version(), championOutcomes,
                    challenger.version(), challengerOutcomes, subtask));
        }
        sendToRemoteChallenger(name, served, batch, RemoteRequest.Purpose.SHADOW, out, sides);
        suspendIfFailing(name, served);
    }

    /** The canary scores its share of the inputs in the champion's place; the champion the rest, and any the canary fails on. */
    void canary(String name, ServedModel served, double percent, InputBatch batch, Collector<Result> out,
            ResultEmitter.SideOutputs sides) {
        int[] toCanary = new int[batch.size()];
        int[] toChampion = new int[batch.size()];
        int canaries = 0;
        int champions = 0;
        long seed = CanarySplit.seed(name);
        long share = CanarySplit.buckets(percent);
        for (int i = 0; i < batch.size(); i++) {
            if (CanarySplit.bucket(seed, batch, i) < share) {
                toCanary[canaries++] = i;
            } else {
                toChampion[champions++] = i;
            }
        }
        RolloutFigures figures = served.figures();
        if (canaries > 0) {
            ServedModel.Installed challenger = served.challenger().get();
            InputBatch canaryBatch = canaries == batch.size() ? batch : batch.select(toCanary, canaries);
            long start = System.nanoTime();
            challenger.score(canaryBatch, challengerOutcomes.reset(canaries));
            timeLocal(figures, start, canaries);
            if (!challengerOutcomes.calls().isEmpty()) {
                // A remote canary: the champion's outcomes ride along, to stand in for a failed call.
                served.champion().model().score(canaryBatch, championOutcomes.reset(canaries));
                sendToRemoteChallenger(name, served, canaryBatch, RemoteRequest.Purpose.CANARY, out, sides);
            }
            emitter.begin(canaryBatch, name, Result.Role.CANARY, challenger.update(),
                    out, sides);
            for (int k = 0; k < canaries; k++) {
                if (challengerOutcomes.pending(k)) {
                    continue;
                }
                count(figures, false, challengerOutcomes, k);
                if (challengerOutcomes.failed(k)) {
                    // The champion scores it instead, below: the canary's failure costs no result.
                    toChampion[champions++] = toCanary[k];
                } else {
                    challengerOutcomes.replay(k, emitter, k);
                }
            }
        }
        if (champions > 0) {
            ServedModel.Installed champion = served.champion();
            InputBatch championBatch = champions == batch.size() ? batch : batch.select(toChampion, champions);
            champion.score(championBatch, championOutcomes.reset(champions));
            emitter.begin(championBatch, name, Result.Role.CHAMPION, champion.update(),
                    out, sides);
            for (int k = 0; k < champions; k++) {
                count(figures, true, championOutcomes, k);
                championOutcomes.replay(k, emitter, k);
            }
        }
        suspendIfFailing(name, served);
    }

    /**
     * Sends the requests a remote challenger asked for while scoring {@code batch}, each with the
     * champion's outcomes for its inputs (in {@code championOutcomes}): the remote step counts the
     * challenger's side of the rollout ({@link io.modelcast.job.remote.SplitRemoteResults}).
     */
    private void sendToRemoteChallenger(String name, ServedModel served, InputBatch batch, RemoteRequest.Purpose purpose,
            Collector<Result> out, ResultEmitter.SideOutputs sides) {
        if (challengerOutcomes.calls().isEmpty()) {
            return;
        }
        ServedModel.Installed champion = served.champion();
        ServedModel.Installed challenger = served.challenger().get();
        long championAge = System.currentTimeMillis() - champion.update().createdAtMillis();
        emitter.begin(batch, name, Result.Role.CANARY, challenger.update(), out, sides);
        for (CapturedOutcomes.Call call : challengerOutcomes.calls()) {
            emitter.request(call.from(), call.pointer(), call.kind(), call.instances(), Optional.of(new RemoteRequest.Fallback(
                    champion.version(), championAge, championOutcomes.outcomes(call.from(), call.instances().size()))), purpose);
        }
    }

    /** Times a local challenger; a remote one's time is its call's, which the remote step measures. */
    private void timeLocal(RolloutFigures figures, long startNanos, int inputs) {
        if (challengerOutcomes.calls().isEmpty()) {
            figures.challengerTime((System.nanoTime() - startNanos) / Math.max(1, inputs));
        }
    }

    private static void count(RolloutFigures figures, boolean champion, CapturedOutcomes outcomes, int i) {
        boolean failed = outcomes.failed(i);
        boolean scored = outcomes.kind(i) == CapturedOutcomes.Kind.PREDICTION;
        double score = scored ? outcomes.score(i) : 0;
        if (champion) {
            figures.champion(failed, score, scored);
        } else {
            figures.challenger(failed, score, scored);
        }
    }

    /** The local safety net: a challenger failing on most of its records stops scoring here at once. */
    private void suspendIfFailing(String name, ServedModel served) {
        RolloutFigures figures = served.figures();
        if (figures.challengerRecords >= SUSPEND_MIN_RECORDS && figures.challengerErrorRate() > SUSPEND_ERROR_RATE) {
            served.suspend();
            suspensions.inc();
            LOG.warn("Subtask {} suspends challenger version {} of model {}: it failed on {} of {} records (more than {}); the"
                            + " champion alone scores until the rollout ends", subtask, figures.challengerVersion, name,
                    figures.challengerErrors, figures.challengerRecords, SUSPEND_ERROR_RATE);
        }
    }

}
