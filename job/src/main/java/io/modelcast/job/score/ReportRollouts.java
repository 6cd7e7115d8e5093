package io.modelcast.job.score;

import io.modelcast.job.sinks.JsonLine;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollout report: adds up what every scoring subtask — and, for a remote challenger, every
 * subtask of the remote step — has seen of each running rollout ({@link RolloutFigures}, cumulative,
 * the latest of each subtask) and, at most once per report interval and name, writes one JSON line:
 *
 * <pre>{@code
 * {"model":"fraud","champion":3,"challenger":4,"subtasks":4,"suspended":false,
 *  "championRecords":90120,"championErrors":0,"championErrorRate":0.0,
 *  "challengerRecords":9880,"challengerErrors":3,"challengerErrorRate":3.0E-4,
 *  "scoreShift":0.012,"agreement":0.981,"challengerP99Nanos":4096,
 *  "championScores":[…],"challengerScores":[…],"atMillis":1764842400000}
 * }</pre>
 *
 * {@code scoreShift} is the PSI of the two score histograms ({@link ScoreShift}; null for integer
 * models), {@code agreement} the share of records both scored alike (shadow; null for a canary),
 * {@code challengerP99Nanos} the upper bound of the power-of-two bin holding the 99th percentile of
 * the challenger's scoring time per record (a remote challenger's: its call's time, divided among
 * the call's inputs); {@code subtasks} counts scoring subtasks. Runs with parallelism 1; what it holds is rebuilt from
 * the next figures after a restore (they are cumulative), so it keeps no state of its own.
 */
public final class ReportRollouts extends ProcessFunction<RolloutFigures, String> {

    private final long intervalMillis;

    /** Per name, the latest figures of each subtask, by operator and subtask. */
    private transient Map<String, Map<String, RolloutFigures>> latest;
    private transient Map<String, Long> lastReported;

    ReportRollouts(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    /** The report lines of {@code figures}, in parallelism 1. */
    public static DataStream<String> define(DataStream<RolloutFigures> figures, Duration interval) {
        return figures.process(new ReportRollouts(interval))
                .returns(Types.STRING)
                .uid("report-rollouts")
                .name("Report rollouts")
                .setParallelism(1);
    }

    @Override
    public void processElement(RolloutFigures figures, Context ctx, Collector<String> out) {
        if (latest == null) {
            latest = new HashMap<>();
            lastReported = new HashMap<>();
        }
        Map<String, RolloutFigures> bySubtask = latest.computeIfAbsent(figures.name, n -> new TreeMap<>());
        // Another rollout of this name began: the old one's figures no longer count.
        bySubtask.values().removeIf(f -> f.challengerVersion != figures.challengerVersion);
        bySubtask.put((figures.remote ? "remote-" : "score-") + figures.subtask, figures);
        long now = figures.atMillis;
        Long last = lastReported.get(figures.name);
        if (last != null && now - last < intervalMillis) {
            return;
        }
        lastReported.put(figures.name, now);
        out.collect(line(figures.name, bySubtask.values(), now));
    }

    /** The report line of one name's figures, one per subtask. */
    static String line(String name, Iterable<RolloutFigures> figures, long atMillis) {
        RolloutFigures total = new RolloutFigures();
        int subtasks = 0;
        boolean suspended = false;
        for (RolloutFigures f : figures) {
            if (!f.remote) {
                subtasks++;
            }
            total.championVersion = f.championVersion;
            total.challengerVersion = f.challengerVersion;
            suspended |= f.suspended;
            total.championRecords += f.championRecords;
            total.championErrors += f.championErrors;
            total.challengerRecords += f.challengerRecords;
            total.challengerErrors += f.challengerErrors;
            total.compared += f.compared;
            total.agreed += f.agreed;
            add(total.championScores, f.championScores);
            add(total.challengerScores, f.challengerScores);
            add(total.challengerNanos, f.challengerNanos);
        }
        JsonLine json = new JsonLine().field("model", name)
                .field("champion", total.championVersion)
                .field("challenger", total.challengerVersion)
                .field("subtasks", subtasks)
                .field("suspended", suspended)
                .field("championRecords", total.championRecords)
                .field("championErrors", total.championErrors)
                .field("championErrorRate", rate(total.championErrors, total.championRecords))
                .field("challengerRecords", total.challengerRecords)
                .field("challengerErrors", total.challengerErrors)
                .field("challengerErrorRate", rate(total.challengerErrors, total.challengerRecords))
                .field("scoreShift", ScoreShift.psi(total.championScores, total.challengerScores))
                .field("agreement", total.compared == 0 ? Double.NaN : (double) total.agreed / total.compared)
                .field("challengerP99Nanos", p99UpperBound(total.challengerNanos))
                .field("championScores", total.championScores)
                .field("challengerScores", total.challengerScores)
                .field("atMillis", atMillis);
        return json.toString();
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length && i < from.length; i++) {
            into[i] += from[i];
        }
    }

    /** The upper bound (2^(k+1) ns) of the bin holding the 99th percentile; 0 if nothing was timed. */
    static long p99UpperBound(long[] bins) {
        long total = 0;
        for (long count : bins) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        long seen = 0;
        for (int k = 0; k < bins.length; k++) {
            seen += bins[k];
            if (seen >= Math.ceil(total * 0.99)) {
                return 1L << Math.min(62, k + 1);
            }
        }
        return 1L << Math.min(62, bins.length);
    }
}
