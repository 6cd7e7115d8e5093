package io.modelcast.bench;

import io.modelcast.bench.Stats.Distribution;

import java.util.List;

/**
 * Everything one run of the benchmark suite measured, as written to {@code results.json}.
 *
 * @param date when the suite ran (ISO-8601, UTC)
 * @param mode {@code full} or {@code quick} (a smoke run: too short for its figures to mean much)
 * @param command the command that reproduces it
 * @param machine what it ran on
 * @param throughput scenario 1, per parallelism
 * @param swapLatency scenario 2, per parallelism and poll interval
 * @param scale scenario 3, per number of versions published
 * @param kafka scenario 4, per delivery guarantee
 * @param realModels scenario 5 (null if it could not run)
 * @param checkpointSize scenario 6, per parallelism
 * @param profile where the job's time goes in scenario 1 (absent in quick mode)
 * @param failures scenarios that could not run, and why
 */
record Results(
        String date,
        String mode,
        String command,
        Machine machine,
        List<Throughput> throughput,
        List<SwapLatency> swapLatency,
        List<Scale> scale,
        List<KafkaThroughput.Result> kafka,
        RealModels.Result realModels,
        List<CheckpointSize.Result> checkpointSize,
        JfrProfile profile,
        List<String> failures) {

    /**
     * Scenario 1 at one parallelism: records/s of each run, the three graphs taking turns.
     *
     * @param baseline the model hard-coded in a map chained to the source
     * @param hop the same map behind a rebalance at the scoring parallelism: the cost of leaving the
     *     source's chain, without broadcast state
     * @param broadcast the job's graph
     * @param spark the origin's design on Spark Streaming ({@code local[2]}), on the same feed; measured
     *     beside parallelism {@value Suite#SPARK_PARALLELISM} only, else empty (and a median of 0)
     * @param ratio the broadcast median over the baseline median
     * @param hopRatio the broadcast median over the hop median: what broadcast state costs on top of the hop
     */
    record Throughput(int parallelism, long records, List<Double> baseline, List<Double> hop, List<Double> broadcast,
            List<Double> spark, double baselineMedian, double hopMedian, double broadcastMedian, double sparkMedian, double ratio,
            double hopRatio) {
        static Throughput of(int parallelism, long records, List<Double> baseline, List<Double> hop, List<Double> broadcast,
                List<Double> spark) {
            double base = Stats.median(baseline);
            double hopped = Stats.median(hop);
            double job = Stats.median(broadcast);
            return new Throughput(parallelism, records, baseline, hop, broadcast, spark, base, hopped, job,
                    spark.isEmpty() ? 0 : Stats.median(spark), job / base, job / hopped);
        }
    }

    /**
     * Scenario 2 at one parallelism and poll interval.
     *
     * @param perSubtask milliseconds from the rename to each subtask's first result of the new version
     * @param lastSubtask milliseconds until the last subtask had switched, per publish
     * @param lastSubtaskMillis the raw figures of {@code lastSubtask}, for the chart
     */
    record SwapLatency(int parallelism, long pollMillis, int publishes, Distribution perSubtask,
            Distribution lastSubtask, List<Double> lastSubtaskMillis) {}

    /**
     * Scenario 3 with a number of versions in the model directory.
     *
     * @param broadcastMedian median records/s of the job (scenario 1's broadcast graph)
     * @param lastSubtask swap latency of the last subtask, as in scenario 2
     */
    record Scale(long versions, int parallelism, long pollMillis, double broadcastMedian, Distribution lastSubtask) {}
}
