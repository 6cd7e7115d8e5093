package io.modelcast.bench;

import io.modelcast.bench.Stats.Distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Writes a suite's results: {@code results.json}, {@code results.md} and PNG charts. */
final class Report {

    /** What scenario 1 aims for: the broadcast pipeline within 5% of the baseline. */
    static final double THROUGHPUT_TARGET = 0.95;

    /** The Spark that bench-spark runs (the parent POM's spark.version). */
    static final String SPARK_VERSION = "4.1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {}

    /** Writes all three; the charts last, so the figures are on disk whatever happens to them. */
    static void write(Results results, Path directory) throws IOException {
        Files.createDirectories(directory);
        JSON.writeValue(directory.resolve("results.json").toFile(), results);
        Files.writeString(directory.resolve("results.md"), markdown(results));
        charts(results, directory);
    }

    /** A network of scenario 5: {@code `onnx-deep` (256 features, hidden layers of 1024 and 512 units: 3.1 MB of weights, which …)}. */
    private static String describe(RealModels.Network network, String cache) {
        return String.format(Locale.ROOT, "`%s` (%d features, hidden layers of %d and %d units: %.1f MB of weights, which %s)",
                network.name(), network.features(), network.first(), network.second(), network.megabytes(), cache);
    }

    /** Runs in M/s, two decimals: {@code [1.31, 1.44]}. */
    private static String millions(List<Double> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", r / 1e6)).collect(Collectors.joining(", ", "[", "]"));
    }

    static String markdown(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("# modelcast benchmarks, ").append(results.date()).append(results.mode().equals("quick") ? " (quick smoke run: figures too short to trust)" : "").append("\n\n");
        md.append("Machine: ").append(results.machine().describe()).append(".  \nCommand: `").append(results.command()).append("`\n\n");
        if (!results.throughput().isEmpty()) {
            md.append("## 1. Scoring overhead: the job vs a chained baseline\n\n");
            md.append("Socket lines (`tcpsource --count`) → parse → score → counting sink, `custom` model. *Baseline*: the same source"
                    + " and parsing with the model hard-coded in a `flatMap`, all chained in one task. *Hop*: that `flatMap` behind a"
                    + " `rebalance()` at the scoring parallelism — the cost of leaving the source's chain, without broadcast state."
                    + " *Broadcast*: the job's graph, with the hop to the broadcast-state scoring operator. Records/s from the first"
                    + " result to the last; medians of runs taking turns. Target: broadcast ≥ 95% of baseline.\n\n");
            md.append("| parallelism | records per run | baseline (M/s) | hop (M/s) | broadcast (M/s) | broadcast / baseline"
                    + " | broadcast / hop | runs each | target |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|:---|\n");
            for (Results.Throughput t : results.throughput()) {
                md.append(String.format(Locale.ROOT, "| %d | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %s |%n", t.parallelism(),
                        t.records(), t.baselineMedian() / 1e6, t.hopMedian() / 1e6, t.broadcastMedian() / 1e6, t.ratio(),
                        t.hopRatio(), t.broadcast().size(), t.ratio() >= THROUGHPUT_TARGET ? "met" : "missed"));
            }
            md.append('\n');
            for (Results.Throughput t : results.throughput()) {
                if (!t.spark().isEmpty()) {
                    md.append(String.format(Locale.ROOT, "The origin's design on Spark Streaming %s (a DStream of the same socket lines →"
                                    + " the seed model in a map → a count per micro-batch; `local[2]`, %d ms micro-batches, the receiver"
                                    + " on one core), taking turns with the runs at parallelism %d: median %.2f M/s (runs %s). The job's"
                                    + " broadcast graph at parallelism %d does %.1f× that.%n%n", SPARK_VERSION,
                            ThroughputRun.SPARK_BATCH_INTERVAL_MILLIS, t.parallelism(), t.sparkMedian() / 1e6, millions(t.spark()),
                            t.parallelism(), t.broadcastMedian() / t.sparkMedian()));
                }
            }
        }
        if (!results.swapLatency().isEmpty()) {
            md.append("## 2. Swap latency\n\n");
            md.append("Milliseconds from a model file's rename into place (as `fitter fit` publishes) to the first result"
                    + " carrying its version, for the last scoring subtask to switch and for any subtask, while records flow at"
                    + " a fixed rate. Target: p99 of the last subtask ≤ 1000 ms with the default 500 ms poll, ≤ 250 ms with a"
                    + " 100 ms poll.\n\n");
            md.append("| parallelism | poll | publishes | last p50 | last p90 | last p99 | last max | any p50 | any p99 | target |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|\n");
            for (Results.SwapLatency s : results.swapLatency()) {
                long target = s.pollMillis() >= 500 ? 1000 : 250;
                md.append(String.format(Locale.ROOT, "| %d | %d ms | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n",
                        s.parallelism(), s.pollMillis(), s.publishes(), s.lastSubtask().p50(), s.lastSubtask().p90(),
                        s.lastSubtask().p99(), s.lastSubtask().max(), s.perSubtask().p50(), s.perSubtask().p99(),
                        s.pollMillis() == 500 || s.pollMillis() == 100 ? (s.lastSubtask().p99() <= target ? "met" : "missed") : "—"));
            }
            md.append('\n');
        }
        if (!results.scale().isEmpty()) {
            md.append("## 3. Scale with versions\n\n");
            md.append("The same measurements with this many model versions already in the directory (all listed at every"
                    + " poll; only the newest is read at start-up).\n\n");
            md.append("| versions | parallelism | broadcast (M/s) | poll | last-subtask swap p50 (ms) | p99 (ms) | max (ms) |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Results.Scale s : results.scale()) {
                md.append(String.format(Locale.ROOT, "| %,d | %d | %.2f | %d ms | %.0f | %.0f | %.0f |%n", s.versions(), s.parallelism(),
                        s.broadcastMedian() / 1e6, s.pollMillis(), s.lastSubtask().p50(), s.lastSubtask().p99(), s.lastSubtask().max()));
            }
            md.append('\n');
        }
        if (!results.kafka().isEmpty()) {
            md.append("## 4. Kafka\n\n");
            md.append("s0 → job → s2 on a local broker, parallelism 2, 1 s checkpoints: records/s through a 1 M backlog (from the"
                    + " first committed result to the last) for the job and for *plain Flink* doing the same work (KafkaSource →"
                    + " a chained map applying the seed model → KafkaSink, same guarantee, checkpoints and transaction settings,"
                    + " writing the same records as the job: the input's key and timestamp, the job's JSON line with model,"
                    + " version, age, subtask, topic, partition and offset), taking turns on the same backlog; medians of the runs. Both run"
                    + " with the same producer settings: Kafka's own defaults (`kafka-defaults`: linger.ms 5, batch.size 16384, no"
                    + " compression), then the job's defaults (`tuned`: linger.ms 20, batch.size 131072, lz4). Then the job's"
                    + " latency, as it ships (tuned), from each input's timestamp to a `read_committed` consumer receiving its"
                    + " result, at a fixed rate. Target: job ≥ " + KafkaThroughput.TARGET_RATIO + "× plain Flink with the same"
                    + " settings.\n\n");
            md.append("| delivery | producer settings | job (records/s) | plain Flink (records/s) | job / plain | target | latency p50 (ms) | p99 (ms) | max (ms) | job runs | plain runs |\n");
            md.append("|:---|:---|---:|---:|---:|:---|---:|---:|---:|:---|:---|\n");
            for (KafkaThroughput.Result k : results.kafka()) {
                String latency = k.measuredLatency().map(l -> String.format(Locale.ROOT, "%.0f | %.0f | %.0f", l.p50Millis(), l.p99Millis(),
                        l.maxMillis())).orElse("– | – | –");
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f | %s | %s | %s | %s |%n", k.delivery(),
                        k.settings().label(), k.jobMedian(), k.plainMedian(), k.ratio(), k.targetMet() ? "met" : "missed",
                        latency, runs(k.job()), runs(k.plain())));
            }
            for (String delivery : List.of("exactly-once", "at-least-once")) {
                Optional<KafkaThroughput.Result> defaults = kafka(results, delivery, KafkaThroughput.Settings.KAFKA_DEFAULTS);
                Optional<KafkaThroughput.Result> tuned = kafka(results, delivery, KafkaThroughput.Settings.TUNED);
                if (defaults.isPresent() && tuned.isPresent()) {
                    double past = tuned.get().jobMedian() / defaults.get().plainMedian();
                    md.append(String.format(Locale.ROOT, "%nThe job as it ships against plain Flink as it ships (%s): %.2f× — %s.",
                            delivery, past, past > 1 ? "past plain Flink" : "not past plain Flink"));
                }
            }
            md.append("\n\n");
        }
        if (results.realModels() != null) {
            RealModels.Result real = results.realModels();
            md.append("## 5. Real models\n\n");
            md.append(String.format(Locale.ROOT, "CSV records of %d features from tcpsource (`--file`) through the job's socket graph"
                    + " at parallelism %d: a `logistic` model (plain Java) and the same model exported to ONNX, scored by ONNX"
                    + " Runtime with `--batch-size` 1, 64 and 256; then two networks whose inference costs more than parsing,"
                    + " at batch 1 and 64: %s and %s. Medians of the runs.%n%n",
                    RealModels.FEATURES, RealModels.PARALLELISM, describe(RealModels.DEEP, "stay in the processor's cache"),
                    describe(RealModels.WIDE, "do not: every call reads them from memory")));
            md.append("| model | batch size | records | records/s (median) | runs |\n|:---|---:|---:|---:|:---|\n");
            for (RealModels.Throughput t : real.throughput()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,.0f | %s |%n", t.model(), t.batchSize(), t.records(),
                        t.median(), t.runs().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()));
            }
            for (RealModels.Network network : List.of(RealModels.DEEP, RealModels.WIDE)) {
                RealModels.batchGain(real.throughput(), network).ifPresent(gain -> md.append(String.format(Locale.ROOT,
                        "%nBatching on `%s`: batch 64 does %.1f× the records/s of batch 1. Target: ≥ %.0f× — %s.%n", network.name(),
                        gain, RealModels.BATCH_TARGET, gain >= RealModels.BATCH_TARGET ? "met" : "missed")));
            }
            md.append(String.format(Locale.ROOT, "%nSwap latency of a %.1f MB ONNX model (a small network and a constant table of %,d floats: large to load,"
                    + " cheap to run), 500 ms poll,"
                    + " from the rename to the last subtask's first result with it: p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d"
                    + " publishes.%n", real.largeModelBytes() / 1e6, RealModels.LARGE_TABLE, real.largeSwapLastSubtask().p50(),
                    real.largeSwapLastSubtask().p99(), real.largeSwapLastSubtask().max(), real.largeSwapMillis().size()));
            SwapEffects.Summary gaps = real.largeSwapGaps();
            if (gaps != null) {
                SwapEffects.Figures during = gaps.gapsDuringSwaps();
                SwapEffects.Figures otherwise = gaps.gapsOtherwise();
                md.append(String.format(Locale.ROOT, "%nMeanwhile, at %,d records/s: the gap between consecutive results of a subtask"
                                + " was at most %.1f ms (p99 %.2f ms, %,d gaps) while a swap was under way, and at most %.1f ms (p99"
                                + " %.2f ms, %,d gaps) otherwise. Target: no gap over %.0f ms caused by a swap — %s.%n",
                        RealModels.LARGE_SWAP_RATE, during.maxMillis(), during.p99Millis(), during.count(),
                        otherwise.maxMillis(), otherwise.p99Millis(), otherwise.count(), RealModels.GAP_TARGET_MILLIS,
                        during.maxMillis() <= Math.max(RealModels.GAP_TARGET_MILLIS, otherwise.maxMillis()) ? "met" : "missed"));
                md.append(String.format(Locale.ROOT, "%nRecord latency, from the moment a line was due at the paced feed to its result"
                                + " on the job's output (the n-th result taken for the n-th line):%n%n"
                                + "| | results | p50 (ms) | p99 (ms) | max (ms) |%n|:---|---:|---:|---:|---:|%n"
                                + "| during swaps | %,d | %.1f | %.1f | %.1f |%n| otherwise | %,d | %.1f | %.1f | %.1f |%n%n",
                        gaps.latencyDuringSwaps().count(), gaps.latencyDuringSwaps().p50Millis(), gaps.latencyDuringSwaps().p99Millis(),
                        gaps.latencyDuringSwaps().maxMillis(), gaps.latencyOtherwise().count(), gaps.latencyOtherwise().p50Millis(),
                        gaps.latencyOtherwise().p99Millis(), gaps.latencyOtherwise().maxMillis()));
            } else {
                md.append('\n');
            }
        }
        if (results.checkpointSize() != null && !results.checkpointSize().isEmpty()) {
            md.append("## 6. Checkpoint size\n\n");
            md.append(String.format(Locale.ROOT, "The size of a complete checkpoint once every scoring subtask holds a %.1f MB ONNX"
                    + " model (a socket that sends nothing: only the model is in state), with the model store (broadcast state holds"
                    + " a reference to the loader's copy) and without it (`--model-store none`: every subtask checkpoints the"
                    + " model). Target: with the store, the same size at every parallelism (within %d KiB) — %s.%n%n",
                    results.checkpointSize().get(0).modelBytes() / 1e6, CheckpointSize.GROWTH_TARGET_BYTES / 1024,
                    CheckpointSize.targetMet(results.checkpointSize()) ? "met" : "missed"));
            md.append("| parallelism | with the model store (bytes) | without (bytes) |\n|---:|---:|---:|\n");
            for (CheckpointSize.Result c : results.checkpointSize()) {
                md.append(String.format(Locale.ROOT, "| %d | %,d | %,d |%n", c.parallelism(), c.withStore(), c.withoutStore()));
            }
            md.append('\n');
        }
        if (results.profile() != null) {
            JfrProfile profile = results.profile();
            md.append("## Where the time goes (scenario 1, broadcast, parallelism 1)\n\n");
            md.append(String.format(Locale.ROOT, "JFR execution samples of the job's JVM (%d samples, startup included).%n%n", profile.samples()));
            md.append("| thread | share |\n|:---|---:|\n");
            profile.byThread().forEach((thread, share) -> md.append(String.format(Locale.ROOT, "| %s | %.1f%% |%n", thread, share)));
            md.append("\n| method (top of stack) | share |\n|:---|---:|\n");
            profile.selfByMethod().forEach((method, share) -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", method, share)));
            md.append('\n');
        }
        if (!results.failures().isEmpty()) {
            md.append("## Failures\n\n");
            results.failures().forEach(f -> md.append("- ").append(f).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static void charts(Results results, Path directory) throws IOException {
        if (!results.throughput().isEmpty() || !results.scale().isEmpty()) {
            CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                    .title("Throughput, socket → score → sink (median records/s)").yAxisTitle("million records/s").build();
            chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
            chart.getStyler().setYAxisMin(0.0);
            List<String> labels = new ArrayList<>();
            List<Double> baseline = new ArrayList<>();
            List<Double> hop = new ArrayList<>();
            List<Double> broadcast = new ArrayList<>();
            for (Results.Throughput t : results.throughput()) {
                labels.add("p=" + t.parallelism());
                baseline.add(t.baselineMedian() / 1e6);
                hop.add(t.hopMedian() / 1e6);
                broadcast.add(t.broadcastMedian() / 1e6);
            }
            for (Results.Scale s : results.scale()) {
                labels.add(String.format(Locale.ROOT, "p=%d, %,d version%s", s.parallelism(), s.versions(), s.versions() == 1 ? "" : "s"));
                baseline.add(0.0);
                hop.add(0.0);
                broadcast.add(s.broadcastMedian() / 1e6);
            }
            chart.addSeries("baseline: model hard-coded in a chained map", labels, baseline);
            chart.addSeries("hop: that map behind a rebalance", labels, hop);
            chart.addSeries("the job: broadcast-state scoring", labels, broadcast);
            BitmapEncoder.saveBitmap(chart, directory.resolve("throughput").toString(), BitmapFormat.PNG);
        }
        if (!results.swapLatency().isEmpty()) {
            BoxChart chart = new BoxChartBuilder().width(900).height(480)
                    .title("Swap latency: rename to the last subtask scoring with the new model").yAxisTitle("ms").build();
            chart.getStyler().setYAxisMin(0.0);
            for (Results.SwapLatency s : results.swapLatency()) {
                chart.addSeries(String.format(Locale.ROOT, "p=%d, %d ms poll", s.parallelism(), s.pollMillis()),
                        s.lastSubtaskMillis().stream().mapToDouble(Double::doubleValue).toArray());
            }
            BitmapEncoder.saveBitmap(chart, directory.resolve("swap-latency").toString(), BitmapFormat.PNG);
        }
    }

    /** One line per figure, for the terminal. */
    static String summary(Results results) {
        StringBuilder out = new StringBuilder();
        for (Results.Throughput t : results.throughput()) {
            out.append(String.format(Locale.ROOT, "throughput p=%d: baseline %.2f M/s, hop %.2f M/s, broadcast %.2f M/s,"
                    + " broadcast/baseline %.2f, broadcast/hop %.2f%n", t.parallelism(), t.baselineMedian() / 1e6,
                    t.hopMedian() / 1e6, t.broadcastMedian() / 1e6, t.ratio(), t.hopRatio()));
        }
        for (Results.SwapLatency s : results.swapLatency()) {
            out.append(String.format(Locale.ROOT, "swap p=%d poll %d ms: last subtask p50 %.0f p99 %.0f max %.0f ms%n",
                    s.parallelism(), s.pollMillis(), s.lastSubtask().p50(), s.lastSubtask().p99(), s.lastSubtask().max()));
        }
        for (Results.Scale s : results.scale()) {
            out.append(String.format(Locale.ROOT, "scale %d versions: %.2f M/s, swap p50 %.0f p99 %.0f ms%n",
                    s.versions(), s.broadcastMedian() / 1e6, s.lastSubtask().p50(), s.lastSubtask().p99()));
        }
        for (KafkaThroughput.Result k : results.kafka()) {
            out.append(String.format(Locale.ROOT, "kafka %s, %s: %.0f records/s, %.2f× plain Flink%s%n", k.delivery(),
                    k.settings().label(), k.jobMedian(), k.ratio(), k.measuredLatency().map(l -> String.format(Locale.ROOT,
                            ", latency p50 %.0f p99 %.0f ms", l.p50Millis(), l.p99Millis())).orElse("")));
        }
        if (results.realModels() != null) {
            for (RealModels.Throughput t : results.realModels().throughput()) {
                out.append(String.format(Locale.ROOT, "real %s batch %d: %.0f records/s%n", t.model(), t.batchSize(), t.median()));
            }
            Distribution large = results.realModels().largeSwapLastSubtask();
            out.append(String.format(Locale.ROOT, "real %.1f MB onnx swap: last subtask p50 %.0f p99 %.0f ms%n",
                    results.realModels().largeModelBytes() / 1e6, large.p50(), large.p99()));
        }
        if (results.checkpointSize() != null) {
            for (CheckpointSize.Result c : results.checkpointSize()) {
                out.append(String.format(Locale.ROOT, "checkpoint p=%d: %d bytes with the model store, %d without%n", c.parallelism(),
                        c.withStore(), c.withoutStore()));
            }
        }
        for (String failure : results.failures()) {
            out.append("FAILED: ").append(failure).append('\n');
        }
        return out.toString();
    }

    private static Optional<KafkaThroughput.Result> kafka(Results results, String delivery, KafkaThroughput.Settings settings) {
        return results.kafka().stream().filter(k -> k.delivery().equals(delivery) && k.settings() == settings).findFirst();
    }

    /** Records/s of each run, as the table lists them. */
    private static String runs(List<Double> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList().toString();
    }
}
