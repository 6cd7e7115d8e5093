package io.modelcast.job.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GatedLinesServer;
import io.modelcast.job.testing.RolloutDecisions;
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemoteModel.OnFailure;
import io.modelcast.model.remote.StandInPredictServer;
import io.modelcast.model.remote.StandInPredictServer.Status;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutJudge;
import io.modelcast.model.rollout.RolloutSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A remote challenger beside a local champion, on a MiniCluster with 4 scoring subtasks and
 * {@link StandInPredictServer} as the model server: a shadow's answers come back as shadow lines
 * beside the champion's outcomes; a canary's answers are its share's results; a canary whose server
 * answers 500 costs no record (the champion stands in) and the report's evidence retires it.
 *
 * <p>The champion is the seed model uncloned ({@code 7 → "07"}); the server's "seed" version 2
 * answers cloned ({@code "070707"}), version 1 uncloned, so every output shows which side made it.
 */
class RemoteRolloutITCase {

    private static final int SCORERS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CustomModel CHAMPION = new CustomModel(false);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(new Configuration().set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500)))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(SCORERS)
                    .build());

    @TempDir Path models;

    private StandInPredictServer server;
    private ModelDirectory directory;

    @BeforeEach
    void startServer() throws Exception {
        server = StandInPredictServer.start(16)
                .serve("seed", 1, instance -> JsonNodeFactory.instance.textNode(pad(instance.asLong())))
                .serve("seed", 2, instance -> JsonNodeFactory.instance.textNode(pad(instance.asLong()).repeat(3)));
        directory = ModelDirectory.open(models);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aRemoteShadowsAnswersComeBackAsShadowLinesBesideTheChampionsResults(@InjectClusterRESTAddress URI rest)
            throws Exception {
        directory.publish(newest -> CHAMPION, warning -> {});
        directory.publishChallenger(newest -> pointer(2), RolloutSpec.parse("shadow"), new Rollout.Policy(1_000_000, 0.01, 1),
                warning -> {});
        List<String> lines = IntStream.range(0, 2_000).mapToObj(Integer::toString).toList();

        try (GatedLinesServer lineServer = new GatedLinesServer(lines); Run run = start(lineServer.port())) {
            awaitChallengerOnEverySubtask(rest, run);
            lineServer.release();
            Await.until("every record has its result and its shadow line", TIMEOUT,
                    () -> run.shadow.size() >= lines.size() && run.scored.size() >= lines.size());

            assertThat(run.scored.snapshot()).hasSize(lines.size()).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.role()).isEqualTo(Result.Role.CHAMPION);
                assertThat(r.output()).isEqualTo(CHAMPION.transform(Long.parseLong(r.input())));
            });
            Map<String, JsonNode> shadowByInput = new HashMap<>();
            for (String line : run.shadow.snapshot()) {
                JsonNode node = JSON.readTree(line);
                assertThat(shadowByInput.put(node.get("input").asText(), node)).as("one shadow line per record").isNull();
            }
            assertThat(shadowByInput.keySet()).containsExactlyInAnyOrderElementsOf(lines);
            assertThat(shadowByInput.values()).allSatisfy(node -> {
                long value = Long.parseLong(node.get("input").asText());
                assertThat(node.get("championVersion").asLong()).isEqualTo(1);
                assertThat(node.get("championOutput").asText()).isEqualTo(pad(value));
                assertThat(node.get("challengerVersion").asLong()).isEqualTo(2);
                assertThat(node.get("challengerOutput").asText()).isEqualTo(pad(value).repeat(3));
                assertThat(node.get("agree").asBoolean()).isFalse();
            });
            assertThat(run.failures.snapshot()).isEmpty();
        }
    }

    @Test
    void aHealthyRemoteCanaryScoresItsShareAndIsPromoted(@InjectClusterRESTAddress URI rest) throws Exception {
        directory.publish(newest -> CHAMPION, warning -> {});
        ModelFile challenger = directory.publishChallenger(newest -> pointer(2), RolloutSpec.parse("canary:50"),
                new Rollout.Policy(2_000, 0.01, 1), warning -> {});
        List<String> lines = IntStream.range(0, 5_000).mapToObj(Integer::toString).toList();

        try (GatedLinesServer lineServer = GatedLinesServer.repeating(lines, 50); Run run = start(lineServer.port())) {
            awaitChallengerOnEverySubtask(rest, run);
            lineServer.release();
            RolloutJudge.Decision decision = RolloutDecisions.await(run.reports, challenger, TIMEOUT);
            assertThat(decision.verdict()).as(decision.reason()).isEqualTo(RolloutJudge.Verdict.PROMOTE);

            // Collected results arrive with checkpoints: wait until both sides' are in.
            Await.until("results of both sides", TIMEOUT, () -> run.scored.snapshot().stream().map(Result::role).distinct().count() == 2);
            List<Result> scored = run.scored.snapshot();
            assertThat(scored).filteredOn(r -> r.role() == Result.Role.CANARY).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(challenger.version());
                assertThat(r.output()).isEqualTo(pad(Long.parseLong(r.input())).repeat(3));
            });
            assertThat(scored).filteredOn(r -> r.role() == Result.Role.CHAMPION).allSatisfy(r -> {
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.output()).isEqualTo(CHAMPION.transform(Long.parseLong(r.input())));
            });
            Map<String, Result.Role> sides = new HashMap<>();
            for (Result r : scored) {
                assertThat(sides.merge(r.input(), r.role(), (a, b) -> a == b ? a : null))
                        .as("input %s always on the same side", r.input()).isNotNull();
            }

            ModelFile promoted = directory.endRollout(challenger.version(), true, warning -> {});
            awaitEverySubtaskScoresWith(run, promoted.version());
            assertThat(run.failures.snapshot()).isEmpty();
        }
    }

    @Test
    void aRemoteCanaryAnswering500IsRetiredAndCostsNoRecord(@InjectClusterRESTAddress URI rest) throws Exception {
        server.faults((instances, attempt) -> new Status(500));
        ModelFile champion = directory.publish(newest -> CHAMPION, warning -> {});
        ModelFile challenger = directory.publishChallenger(newest -> pointer(2), RolloutSpec.parse("canary:50"),
                new Rollout.Policy(1_000_000, 0.01, 1), warning -> {});
        List<String> lines = IntStream.range(0, 5_000).mapToObj(Integer::toString).toList();

        try (GatedLinesServer lineServer = GatedLinesServer.repeating(lines, 50); Run run = start(lineServer.port())) {
            awaitChallengerOnEverySubtask(rest, run);
            lineServer.release();
            RolloutJudge.Decision decision = RolloutDecisions.await(run.reports, challenger, TIMEOUT);
            assertThat(decision.verdict()).as(decision.reason()).isEqualTo(RolloutJudge.Verdict.RETIRE);
            assertThat(decision.reason()).contains("error rate");

            ModelFile retired = directory.endRollout(challenger.version(), false, warning -> {});
            assertThat(retired.promotedFrom()).hasValue(champion.version());
            awaitEverySubtaskScoresWith(run, retired.version());
            assertThat(run.scored.snapshot()).as("the champion scored what the canary's calls failed on").allSatisfy(r -> {
                assertThat(r.modelVersion()).isNotEqualTo(challenger.version());
                assertThat(r.output()).isEqualTo(CHAMPION.transform(Long.parseLong(r.input())));
            });
            assertThat(run.failures.snapshot()).as("no record lost to the failing canary").isEmpty();
            Await.until("the champion stood in for canary inputs (remoteFallbacks)", TIMEOUT,
                    () -> metric(rest, run, "remoteFallbacks").values().stream().mapToDouble(Double::doubleValue).sum() > 0);
        }
    }

    private RemoteModel pointer(long servingVersion) {
        return new RemoteModel(server.endpoint(), "seed", OptionalLong.of(servingVersion), Duration.ofMillis(2_000), 0,
                OnFailure.FAIL, OptionalLong.empty(), 0.5);
    }

    private static String pad(long value) {
        return String.format("%02d", value);
    }

    private static void awaitEverySubtaskScoresWith(Run run, long version) throws InterruptedException {
        Await.until("every subtask scores with version " + version, TIMEOUT, () -> run.scored.snapshot().stream()
                .filter(r -> r.modelVersion() == version).map(Result::subtask).collect(Collectors.toSet()).size() == SCORERS);
    }

    /** The champion and then the challenger reached every scoring subtask: two swaps each. */
    private static void awaitChallengerOnEverySubtask(URI rest, Run run) throws InterruptedException {
        Await.until("the challenger is in on every subtask", TIMEOUT, () -> {
            Map<Integer, Double> swaps = metric(rest, run, "modelSwaps");
            return swaps.size() == SCORERS && swaps.values().stream().allMatch(v -> v >= 2);
        });
    }

    /** An operator metric by subtask; empty while the cluster cannot tell. */
    private static Map<Integer, Double> metric(URI rest, Run run, String metric) {
        try {
            return JobMetrics.operatorMetric(rest, run.job.getJobID(), metric);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    @SuppressWarnings("try")
    private record Run(JobClient job, Collected<Result> scored, Collected<RejectedRecord> failures,
            Collected<String> shadow, Collected<String> reports) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            job.cancel().get(60, TimeUnit.SECONDS);
            for (Collected<?> collected : List.of(scored, failures, shadow, reports)) {
                collected.close();
            }
        }
    }

    private Run start(int port) throws Exception {
        JobOptions options = JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORERS), "--remote-requests", "16",
                "--batch-size", "8", "--report-interval", "200ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.configure(env, options);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options)).records(),
                ModelcastJob.modelFiles(env, options));
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        Collected<RejectedRecord> failures = Collected.of(outputs.modelFailures(), "failures");
        Collected<String> shadow = Collected.of(outputs.shadow(), "shadow");
        Collected<String> reports = Collected.of(outputs.reports(), "reports");
        JobClient job = env.executeAsync("remote-rollout");
        for (Collected<?> collected : List.of(scored, failures, shadow, reports)) {
            collected.start();
        }
        return new Run(job, scored, failures, shadow, reports);
    }
}
