package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GatedLinesServer;
import io.modelcast.job.testing.RolloutDecisions;
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutJudge;
import io.modelcast.model.rollout.RolloutSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Many named models and the rollout of a challenger, on a MiniCluster with 4 scoring subtasks:
 * records find their model by name; a shadow gives every record both results; a canary takes its
 * share by id, the same share after a restore; the report's evidence promotes a good challenger and
 * retires a failing one, and every subtask follows the decision.
 */
class RolloutITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int SCORERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final LogisticModel CHAMPION = new LogisticModel(new double[] {1.0, -1.0}, 0, 0.5, null);
    private static final LogisticModel CHALLENGER = new LogisticModel(new double[] {1.1, -0.9}, 0.05, 0.5, null);
    private static final LogisticModel FRAUD = new LogisticModel(new double[] {-2.0, 0.5}, 0.3, 0.5, null);
    /** Takes three features where the records have two: it fails on every record (after passing its probe). */
    private static final LogisticModel BROKEN = new LogisticModel(new double[] {1, 1, 1}, 0, 0.5, null);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(clusterConfiguration())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(SCORERS)
                    .build());

    @TempDir Path models;
    @TempDir Path savepoints;

    private static Configuration clusterConfiguration() {
        Configuration configuration = new Configuration();
        configuration.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        return configuration;
    }

    @Test
    void eachNameScoresWithItsOwnVersionsAndAnUnknownNameIsRejected(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelRepository repository = ModelRepository.open(models);
        repository.directory("default").publish(newest -> CHAMPION, warning -> {});
        ModelDirectory fraud = repository.directory("fraud");
        fraud.publish(newest -> CHAMPION, warning -> {});
        fraud.publish(newest -> FRAUD, warning -> {});
        List<String> lines = IntStream.range(0, 600).mapToObj(i -> line("r-" + i,
                i % 3 == 0 ? null : i % 3 == 1 ? "fraud" : "nobody")).toList();

        try (GatedLinesServer server = new GatedLinesServer(lines); Run run = start(server.port(), new Configuration())) {
            awaitModelNames(rest, run, 2);
            server.release();
            Await.until("every record scored or rejected", TIMEOUT,
                    () -> run.scored.size() >= 400 && run.failures.size() >= 200);

            Map<String, List<Result>> byModel = run.scored.snapshot().stream().collect(Collectors.groupingBy(Result::model));
            assertThat(byModel.keySet()).containsExactlyInAnyOrder("default", "fraud");
            assertThat(byModel.get("default")).hasSize(200).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.score().getAsDouble()).isCloseTo(probability(CHAMPION, features(r.id())), within());
            });
            assertThat(byModel.get("fraud")).hasSize(200).allSatisfy(r -> {
                assertThat(r.modelVersion()).as("fraud's own version 2").isEqualTo(2);
                assertThat(r.score().getAsDouble()).isCloseTo(probability(FRAUD, features(r.id())), within());
            });
            assertThat(run.failures.snapshot()).hasSize(200).allSatisfy(rejected ->
                    assertThat(rejected.reason).startsWith("UNKNOWN_MODEL").contains("nobody"));
        }
    }

    @Test
    void aShadowGivesEveryRecordBothResultsAndTheMainOutputKeepsTheChampions(@InjectClusterRESTAddress URI rest)
            throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> CHAMPION, warning -> {});
        directory.publishChallenger(newest -> CHALLENGER, RolloutSpec.parse("shadow"), new Rollout.Policy(1_000_000, 0.01, 1),
                warning -> {});
        List<String> lines = IntStream.range(0, 2000).mapToObj(i -> line("s-" + i, null)).toList();

        try (GatedLinesServer server = new GatedLinesServer(lines); Run run = start(server.port(), new Configuration())) {
            awaitModelNames(rest, run, 1);
            Await.until("the challenger is in on every subtask", TIMEOUT, () -> metricOnEverySubtask(rest, run, "modelSwaps", 2));
            server.release();
            Await.until("every record has its result and its shadow line", TIMEOUT,
                    () -> run.shadow.size() >= lines.size() && run.scored.size() >= lines.size());

            assertThat(run.scored.snapshot()).hasSize(lines.size()).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.role()).isEqualTo(Result.Role.CHAMPION);
            });
            Map<String, JsonNode> shadowById = new HashMap<>();
            for (String shadowLine : run.shadow.snapshot()) {
                JsonNode node = JSON.readTree(shadowLine);
                assertThat(shadowById.put(node.get("id").asText(), node)).as("one shadow line per record").isNull();
            }
            assertThat(shadowById).hasSize(lines.size());
            assertThat(shadowById.values()).allSatisfy(node -> {
                float[] features = features(node.get("id").asText());
                assertThat(node.get("championVersion").asLong()).isEqualTo(1);
                assertThat(node.get("challengerVersion").asLong()).isEqualTo(2);
                assertThat(node.get("championScore").asDouble()).isCloseTo(probability(CHAMPION, features), within());
                assertThat(node.get("challengerScore").asDouble()).isCloseTo(probability(CHALLENGER, features), within());
                assertThat(node.get("agree").asBoolean())
                        .isEqualTo(node.get("championLabel").asInt() == node.get("challengerLabel").asInt());
            });
        }
    }

    @Test
    void aCanaryTakesItsShareByIdAndTheSameIdsAfterARestore(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> CHAMPION, warning -> {});
        directory.publishChallenger(newest -> CHALLENGER, RolloutSpec.parse("canary:10"), new Rollout.Policy(10_000_000, 0.01, 1),
                warning -> {});
        int ids = 100_000;
        List<String> lines = IntStream.range(0, ids).mapToObj(i -> line("c-" + i, null)).toList();

        Map<String, Result.Role> before;
        String savepoint;
        try (GatedLinesServer server = new GatedLinesServer(lines); Run run = start(server.port(), new Configuration())) {
            awaitModelNames(rest, run, 1);
            Await.until("the canary is in on every subtask", TIMEOUT, () -> metricOnEverySubtask(rest, run, "modelSwaps", 2));
            server.release();
            Await.until("every record is scored", TIMEOUT, () -> run.scored.size() >= ids);
            before = roles(run.scored.snapshot());
            savepoint = run.job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        }
        long canaries = before.values().stream().filter(role -> role == Result.Role.CANARY).count();
        assertThat(before).hasSize(ids);
        assertThat(canaries).as("10 %% ± 1 %% of %d ids", ids).isBetween(9_000L, 11_000L);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        try (GatedLinesServer server = new GatedLinesServer(lines); Run run = start(server.port(), restore)) {
            server.release();
            Await.until("every record is scored again", TIMEOUT, () -> run.scored.size() >= ids);
            List<Result> after = run.scored.snapshot();
            assertThat(roles(after)).as("the same assignment after the restore").isEqualTo(before);
            assertThat(after).filteredOn(r -> r.role() == Result.Role.CANARY).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(2);
                assertThat(r.score().getAsDouble()).isCloseTo(probability(CHALLENGER, features(r.id())), within());
            });
        }
    }

    @Test
    void aChallengerWithinItsBoundsIsPromotedAndEverySubtaskMoves(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        directory.publish(newest -> CHAMPION, warning -> {});
        ModelFile challenger = directory.publishChallenger(newest -> CHALLENGER, RolloutSpec.parse("canary:50"),
                new Rollout.Policy(2_000, 0.01, 0.5), warning -> {});
        List<String> lines = IntStream.range(0, 10_000).mapToObj(i -> line("p-" + i, null)).toList();

        try (GatedLinesServer server = GatedLinesServer.repeating(lines, 50); Run run = start(server.port(), new Configuration())) {
            awaitModelNames(rest, run, 1);
            server.release();
            RolloutJudge.Decision decision = RolloutDecisions.await(run.reports, challenger, TIMEOUT);
            assertThat(decision.verdict()).as(decision.reason()).isEqualTo(RolloutJudge.Verdict.PROMOTE);

            long promotedAt = System.nanoTime();
            ModelFile promoted = directory.endRollout(challenger.version(), true, warning -> {});
            awaitEverySubtaskScoresWith(run, promoted.version());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt);
            System.out.printf(Locale.ROOT, "[rollout] policy met -> every subtask scores with version %d: %d ms%n",
                    promoted.version(), millis);
            assertThat(run.scored.snapshot()).filteredOn(r -> r.modelVersion() == promoted.version())
                    .allSatisfy(r -> assertThat(r.role()).isEqualTo(Result.Role.ONLY));
        }
    }

    @Test
    void aChallengerThatFailsIsSuspendedAtOnceAndRetiredWithoutLosingARecord(@InjectClusterRESTAddress URI rest)
            throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        ModelFile champion = directory.publish(newest -> CHAMPION, warning -> {});
        ModelFile challenger = directory.publishChallenger(newest -> BROKEN, RolloutSpec.parse("canary:50"),
                new Rollout.Policy(1_000_000, 0.01, 0.5), warning -> {});
        List<String> lines = IntStream.range(0, 10_000).mapToObj(i -> line("f-" + i, null)).toList();

        try (GatedLinesServer server = GatedLinesServer.repeating(lines, 50); Run run = start(server.port(), new Configuration())) {
            awaitModelNames(rest, run, 1);
            server.release();
            RolloutJudge.Decision decision = RolloutDecisions.await(run.reports, challenger, TIMEOUT);
            assertThat(decision.verdict()).as(decision.reason()).isEqualTo(RolloutJudge.Verdict.RETIRE);

            assertThat(decision.reason()).contains("suspended");
            ModelFile retired = directory.endRollout(challenger.version(), false, warning -> {});
            assertThat(retired.promotedFrom()).hasValue(champion.version());
            awaitEverySubtaskScoresWith(run, retired.version());
            assertThat(run.scored.snapshot()).as("the champion scored what the canary failed on")
                    .allSatisfy(r -> assertThat(r.modelVersion()).isNotEqualTo(challenger.version()));
            assertThat(run.failures.snapshot()).as("no record was lost to the failing canary").isEmpty();
        }
    }

    private static void awaitEverySubtaskScoresWith(Run run, long version) throws InterruptedException {
        Await.until("every subtask scores with version " + version, TIMEOUT, () -> run.scored.snapshot().stream()
                .filter(r -> r.modelVersion() == version).map(Result::subtask).collect(Collectors.toSet()).size() == SCORERS);
    }

    private static void awaitModelNames(URI rest, Run run, int names) throws InterruptedException {
        Await.until(names + " model names on every subtask", TIMEOUT, () -> metricOnEverySubtask(rest, run, "modelNames", names));
    }

    private static boolean metricOnEverySubtask(URI rest, Run run, String metric, double atLeast) {
        try {
            Map<Integer, Double> values = JobMetrics.operatorMetric(rest, run.job.getJobID(), metric);
            return values.size() == SCORERS && values.values().stream().allMatch(v -> v >= atLeast);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, Result.Role> roles(List<Result> results) {
        Map<String, Result.Role> roles = new HashMap<>();
        for (Result result : results) {
            roles.put(result.id(), result.role());
        }
        return roles;
    }

    /** A JSON input whose two features follow from its id, for the model {@code model} (or none). */
    private static String line(String id, String model) {
        float[] f = features(id);
        return "{\"id\":\"" + id + "\"" + (model == null ? "" : ",\"model\":\"" + model + "\"")
                + ",\"features\":[" + f[0] + "," + f[1] + "]}";
    }

    private static float[] features(String id) {
        int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
        return new float[] {(n % 17) / 4.0f - 2, (n % 13) / 3.0f - 2};
    }

    private static double probability(LogisticModel model, float[] features) {
        double[] score = new double[1];
        model.score(features, 1, score);
        return score[0];
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-5);
    }

    @SuppressWarnings("try")
    private record Run(JobClient job, Collected<Result> scored, Collected<RejectedRecord> failures,
            Collected<String> shadow, Collected<String> reports) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // Already stopped (with a savepoint).
            }
            for (Collected<?> collected : List.of(scored, failures, shadow, reports)) {
                collected.close();
            }
        }
    }

    private Run start(int port, Configuration configuration) throws Exception {
        JobOptions options = JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORERS), "--input-format", "json",
                "--report-interval", "200ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.enableCheckpointing(500);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options), InputFormat.JSON).records(),
                ModelcastJob.modelFiles(env, options));
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        Collected<RejectedRecord> failures = Collected.of(outputs.modelFailures(), "failures");
        Collected<String> shadow = Collected.of(outputs.shadow(), "shadow");
        Collected<String> reports = Collected.of(outputs.reports(), "reports");
        JobClient job = env.executeAsync("rollout");
        for (Collected<?> collected : List.of(scored, failures, shadow, reports)) {
            collected.start();
        }
        return new Run(job, scored, failures, shadow, reports);
    }
}
