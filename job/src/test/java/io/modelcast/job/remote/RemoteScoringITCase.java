package io.modelcast.job.remote;

import io.modelcast.cli.EnumNames;
import io.modelcast.job.JobArguments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.modelcast.job.JobOptions;
import io.modelcast.job.options.RemoteOptions.RemoteOrder;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.Restarts;
import io.modelcast.job.testing.Subtasks;
import io.modelcast.model.CustomModel;
import io.modelcast.model.Model;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemoteModel.OnFailure;
import io.modelcast.model.remote.StandInPredictServer;
import io.modelcast.model.remote.StandInPredictServer.Delay;
import io.modelcast.model.remote.StandInPredictServer.Malformed;
import io.modelcast.model.remote.StandInPredictServer.Status;
import io.modelcast.model.repository.ModelDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote models in the whole scoring graph: pointers published to the model directory, calls made in
 * async I/O to {@link StandInPredictServer} — a local server implementing TensorFlow Serving's REST
 * predict contract, standing in for TensorFlow Serving, which cannot be installed here.
 *
 * <p>The server's "seed" model answers like the seed model: serving version 1 pads an integer to two
 * digits ({@code 07}), version 2 repeats that three times ({@code 070707}), so every result shows
 * which serving version produced it. Every input is a distinct integer, so "no record lost" is
 * checked input by input.
 */
class RemoteScoringITCase {

    private static final int SCORERS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int LINES_PER_BATCH = 10;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(SCORERS)
                            .build());

    @TempDir Path models;

    private StandInPredictServer server;
    private ModelDirectory directory;
    private JobClient job;
    private Collected<Result> scored;
    private Collected<RejectedRecord> failures;
    private Collected<RejectedModel> rejectedModels;

    @BeforeEach
    void startServer() throws Exception {
        server = StandInPredictServer.start(32)
                .serve("seed", 1, instance -> JsonNodeFactory.instance.textNode(pad(instance.asLong())))
                .serve("seed", 2, instance -> JsonNodeFactory.instance.textNode(pad(instance.asLong()).repeat(3)));
        directory = ModelDirectory.open(models);
    }

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (scored != null) {
            scored.close();
            failures.close();
            rejectedModels.close();
        }
        server.close();
    }

    private static String pad(long value) {
        return String.format("%02d", value);
    }

    private RemoteModel pointer(long servingVersion, long timeoutMs, int retries, OnFailure onFailure, Long fallback) {
        return new RemoteModel(server.endpoint(), "seed", OptionalLong.of(servingVersion), Duration.ofMillis(timeoutMs),
                retries, onFailure, fallback == null ? OptionalLong.empty() : OptionalLong.of(fallback), 0.5);
    }

    private void publish(Model model) throws Exception {
        directory.publish(newest -> model, warning -> {});
    }

    @Test
    void switchesServingVersionOnEverySubtaskUnderLoadRetryingAndLosingNothing() throws Exception {
        // First attempts of some inputs fail or stall: the retries must hide it.
        server.faults((instances, attempt) -> {
            long value = instances.get(0).asLong();
            if (attempt == 1 && value % 10 == 3) {
                return new Status(503);
            }
            return attempt == 1 && value % 10 == 7 ? new Delay(3_000) : null;
        });
        int inputs = 12_000;
        publish(pointer(1, 1_000, 2, OnFailure.FAIL, null));
        startJob(inputs, 1_000, RemoteOrder.ORDERED, 8);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 1, TIMEOUT);
        publish(pointer(2, 1_000, 2, OnFailure.FAIL, null));
        Subtasks.awaitAllScoreWith(scored, SCORERS, 2, TIMEOUT);
        Await.until("a result for every input", TIMEOUT, () -> scored.size() + failures.size() >= inputs);

        assertThat(failures.snapshot()).as("inputs no model scored").isEmpty();
        List<Result> results = scored.snapshot();
        Map<Long, Result> byInput = new HashMap<>();
        for (Result result : results) {
            assertThat(byInput.put(Long.parseLong(result.input()), result)).as("a second result for %s", result.input()).isNull();
            long value = Long.parseLong(result.input());
            assertThat(result.output()).as("output of %s by version %d", value, result.modelVersion())
                    .isEqualTo(result.modelVersion() == 1 ? pad(value) : pad(value).repeat(3));
        }
        assertThat(byInput.keySet()).as("inputs with a result")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, inputs).mapToObj(i -> (long) i).toList());
        for (int subtask = 0; subtask < SCORERS; subtask++) {
            int s = subtask;
            assertThat(results.stream().filter(r -> r.subtask() == s).map(r -> r.modelVersion()).toList())
                    .as("versions of subtask %d's results, in order (ordered calls)", s)
                    .isSorted().contains(1L, 2L);
        }
        assertThat(server.maxInstancesPerRequest()).as("inputs in one request (--batch-size 8)").isEqualTo(8);
        assertThat(server.requests()).as("requests, retries included").isLessThan(inputs);
        assertThat(server.maxInFlight()).as("requests in flight at once").isGreaterThan(SCORERS);
    }

    /** Flipped by the injected failure, once per test run. */
    private static final AtomicInteger RESULTS_BEFORE_FAILURE = new AtomicInteger();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void callsInFlightAtACheckpointAreMadeAgainAfterARestore() throws Exception {
        // Every request answers after 1.5 s: checkpoints (every 500 ms) always find calls in flight.
        server.faults((instances, attempt) -> new Delay(1_500));
        RESULTS_BEFORE_FAILURE.set(0);
        FAILED.set(false);
        int inputs = 3_000;
        publish(pointer(1, 10_000, 0, OnFailure.FAIL, null));
        startJob(StreamExecutionEnvironment.getExecutionEnvironment(
                        Restarts.quickly(new Configuration(), 5)), inputs, 500, RemoteOrder.UNORDERED, 10,
                scoredStream -> scoredStream.map(record -> {
                    if (RESULTS_BEFORE_FAILURE.incrementAndGet() == 1_000 && FAILED.compareAndSet(false, true)) {
                        throw new IllegalStateException("injected failure after 1,000 results");
                    }
                    return record;
                }).returns(Result.class));
        Await.until("a result for every input", TIMEOUT, () -> scored.snapshot().stream().map(r -> r.input()).distinct().count() >= inputs);

        assertThat(FAILED).as("the job failed once").isTrue();
        assertThat(failures.snapshot()).isEmpty();
        assertThat(scored.snapshot()).extracting(r -> Long.parseLong(r.input())).containsAll(
                IntStream.range(0, inputs).mapToObj(i -> (long) i).toList());
    }

    @Test
    void callsThatFailForGoodGoToTheRejectedOutputWithTheReason() throws Exception {
        server.faults((instances, attempt) -> switch ((int) (instances.get(0).asLong() % 5)) {
            case 0 -> new Status(500);
            case 1 -> new Malformed("{\"predictions\": []}");
            case 2 -> new Delay(5_000);
            case 3 -> new Status(404);
            default -> null;
        });
        int inputs = 400;
        publish(pointer(1, 1_000, 1, OnFailure.FAIL, null));
        startJob(inputs, 200, RemoteOrder.UNORDERED, 1);
        Await.until("every input scored or rejected", TIMEOUT, () -> scored.size() + failures.size() >= inputs);

        assertThat(scored.snapshot()).hasSize(inputs / 5)
                .allSatisfy(r -> assertThat(Long.parseLong(r.input()) % 5).isEqualTo(4))
                .allSatisfy(r -> assertThat(r.output()).isEqualTo(pad(Long.parseLong(r.input()))));
        List<RejectedRecord> rejected = failures.snapshot();
        assertThat(rejected).hasSize(inputs - inputs / 5);
        for (RejectedRecord r : rejected) {
            String reason = r.reason;
            assertThat(reason).as(r.input).startsWith("remote model version 1: ");
            switch ((int) (Long.parseLong(r.input) % 5)) {
                case 0 -> assertThat(reason).contains("answered 500").contains("(2 attempts)");
                case 1 -> assertThat(reason).contains("malformed answer").contains("0 predictions for 1 instance");
                case 2 -> assertThat(reason).contains("no answer from").contains("within 1000 ms (2 attempts)");
                case 3 -> assertThat(reason).contains("answered 404");
                default -> throw new AssertionError("rejected although served: " + r);
            }
        }
    }

    @Test
    void failedCallsFallBackToTheLocalModelTheyName() throws Exception {
        server.faults((instances, attempt) -> instances.get(0).asLong() % 4 == 0 ? new Status(503) : null);
        int inputs = 400;
        publish(new CustomModel(true));                         // version 1, local: 070707
        publish(pointer(1, 2_000, 1, OnFailure.FALLBACK, 1L));  // version 2, remote: serving version 1, 07
        startJob(inputs, 200, RemoteOrder.ORDERED, 1);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 2, TIMEOUT);
        Await.until("every input scored", TIMEOUT, () -> scored.size() + failures.size() >= inputs);

        assertThat(failures.snapshot()).isEmpty();
        List<Result> results = scored.snapshot();
        assertThat(results).hasSize(inputs);
        long started = results.stream().filter(r -> r.modelVersion() == 2).mapToLong(r -> Long.parseLong(r.input())).min().orElseThrow();
        for (Result r : results) {
            long value = Long.parseLong(r.input());
            if (r.fallbackFrom().isEmpty()) {
                assertThat(r.output()).as("%s by version %d", r.input(), r.modelVersion())
                        .isEqualTo(r.modelVersion() == 2 ? pad(value) : pad(value).repeat(3));
                assertThat(value % 4 != 0 || r.modelVersion() == 1).as("%s failed remotely yet has no fallback", r.input()).isTrue();
            } else {
                assertThat(value % 4).as("%s fell back though the server answers it", r.input()).isZero();
                assertThat(r.fallbackFrom().get().version()).isEqualTo(2);
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.output()).isEqualTo(pad(value).repeat(3));
                assertThat(r.fallbackFrom().get().reason()).startsWith("remote model version 2: ").contains("answered 503");
            }
        }
        assertThat(results.stream().filter(r -> r.fallbackFrom().map(f -> f.version() == 2).orElse(false)).count())
                .as("fallback results, inputs from %d on", started).isPositive();
    }

    @Test
    void aPointerWhoseFallbackIsMissingIsRejectedAndTheModelInUseStays() throws Exception {
        publish(new CustomModel(true));                          // version 1
        startJob(1_000_000, 200, RemoteOrder.ORDERED, 64);
        Subtasks.awaitAllScoreWith(scored, SCORERS, 1, TIMEOUT);
        publish(pointer(1, 300, 1, OnFailure.FALLBACK, 9L));    // version 2, falls back to a version that is not there
        Await.until("the pointer is rejected", TIMEOUT, () -> !rejectedModels.snapshot().isEmpty());
        RejectedModel rejected = rejectedModels.snapshot().get(0);
        assertThat(rejected.reason).isEqualTo("FALLBACK_UNAVAILABLE");
        assertThat(rejected.message).contains("falls back to model version 9, which cannot be used");
        int before = scored.size();
        Await.until("more results", TIMEOUT, () -> scored.size() > before + 100);
        assertThat(scored.snapshot().subList(before, scored.size())).allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo(1));
    }

    /**
     * Starts the job on inputs {@code 0}..{@code inputs - 1}, {@value #LINES_PER_BATCH} to a batch,
     * at most {@code batchSize} of them to a request (1: each input alone, so a fault rule picks inputs).
     */
    private void startJob(long inputs, long linesPerSecond, RemoteOrder order, int batchSize) throws Exception {
        startJob(StreamExecutionEnvironment.getExecutionEnvironment(), inputs, linesPerSecond, order, batchSize, scored -> scored);
    }

    private void startJob(StreamExecutionEnvironment env, long inputs, long linesPerSecond, RemoteOrder order, int batchSize,
            UnaryOperator<DataStream<Result>> results) throws Exception {
        JobOptions options = JobArguments.parse("--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORERS), "--remote-requests", "16",
                "--remote-order", EnumNames.of(order), "--batch-size", Integer.toString(batchSize),
                "--checkpoint-interval", "500ms");
        // As the job runs: object reuse, and checkpoints, which hold the calls in flight.
        ModelcastJob.configure(env, options);
        DataStream<LineBatch> lines = GeneratedLines.of(env, Math.max(1, linesPerSecond / LINES_PER_BATCH),
                inputs / LINES_PER_BATCH, i -> LineBatch.of(LongStream.range(i * LINES_PER_BATCH, (i + 1) * LINES_PER_BATCH)
                        .mapToObj(Long::toString).toArray(String[]::new)));
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(
                options, ScoringPipeline.parseLines(lines).records(), ModelcastJob.modelFiles(env, options));
        scored = Collected.of(results.apply(outputs.scored()), "scored");
        failures = Collected.of(outputs.modelFailures(), "model-failures");
        rejectedModels = Collected.of(outputs.rejectedModels(), "rejected-models");
        job = env.executeAsync("remote-scoring-test");
        scored.start();
        failures.start();
        rejectedModels.start();
    }
}
