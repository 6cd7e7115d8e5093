package io.modelcast.job.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcast.job.InputFormat;
import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GatedLinesServer;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.job.testing.JobMetrics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Live evaluation end to end on a MiniCluster: records of two model names are scored, their labels
 * arrive later on a socket of their own, and each name's version gets evaluation records whose
 * figures match those computed here from the raw (score, label) pairs; a duplicate and an unknown
 * label come out on the unmatched side; every labelled record is one example in the finished files.
 */
class LabelsITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long WINDOW_MILLIS = 4_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LogisticModel DEFAULT = new LogisticModel(new double[] {1.0, -1.0}, 0, 0.5, null);
    private static final LogisticModel FRAUD = new LogisticModel(new double[] {-2.0, 0.5}, 0.3, 0.5, null);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(new Configuration().set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500)))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir Path models;
    @TempDir Path examples;

    @Test
    void lateLabelsEvaluateEachNamesVersionAndStrayLabelsComeOutUnmatched(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelRepository repository = ModelRepository.open(models);
        repository.directory("default").publish(newest -> DEFAULT, warning -> {});
        ModelDirectory fraud = repository.directory("fraud");
        fraud.publish(newest -> DEFAULT, warning -> {});
        fraud.publish(newest -> FRAUD, warning -> {});
        int records = 2_000;
        List<String> lines = IntStream.range(0, records).mapToObj(i -> line(i)).toList();
        Random random = new Random(7);
        Map<String, Integer> truth = new HashMap<>();
        List<String> labelLines = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            // The truth leans on the first feature, so both models are better than chance, not perfect.
            int label = features(i)[0] + random.nextGaussian() > 0 ? 1 : 0;
            truth.put("e-" + i, label);
            labelLines.add("e-" + i + "," + label);
        }
        labelLines.add("e-0," + truth.get("e-0"));
        labelLines.add("ghost,1");
        labelLines.add("not a label");

        try (GatedLinesServer inputs = new GatedLinesServer(lines); GatedLinesServer labels = new GatedLinesServer(labelLines);
                Run run = start(inputs.port(), labels.port())) {
            Await.until("both names on both subtasks", TIMEOUT, () -> modelNames(rest, run) >= 2);
            inputs.release();
            Await.until("every record scored", TIMEOUT, () -> run.scored.size() >= records);
            // Labels go out right after a window starts, so one window holds them all.
            Await.until("a window has just begun", TIMEOUT, () -> System.currentTimeMillis() % WINDOW_MILLIS < WINDOW_MILLIS / 8);
            long released = System.currentTimeMillis();
            labels.release();
            Await.until("every label is in an evaluation record", TIMEOUT, () -> labelled(run.evaluations.snapshot()) >= records);
            System.out.printf(Locale.ROOT, "[labels] labels sent -> their evaluation records: %d ms (window %d ms)%n",
                    System.currentTimeMillis() - released, WINDOW_MILLIS);

            Map<String, List<JsonNode>> byModel = new HashMap<>();
            for (String line : run.evaluations.snapshot()) {
                JsonNode node = JSON.readTree(line);
                byModel.computeIfAbsent(node.get("model").asText() + "@" + node.get("modelVersion").asLong(), k -> new ArrayList<>())
                        .add(node);
            }
            assertThat(byModel.keySet()).containsExactlyInAnyOrder("default@1", "fraud@2");
            for (String key : byModel.keySet()) {
                expectFigures(byModel.get(key), run.scored.snapshot(), key, truth);
            }
            Await.until("the stray labels come out unmatched", TIMEOUT, () -> run.unmatched.size() >= 2);
            assertThat(run.unmatched.snapshot()).extracting(r -> r.reason.substring(0, r.reason.indexOf(':')))
                    .containsExactlyInAnyOrder(JoinLabels.DUPLICATE, JoinLabels.UNMATCHED_LABEL);
            assertThat(run.badLabels.snapshot()).singleElement()
                    .satisfies(r -> assertThat(r.reason).startsWith("bad label: ").contains("no comma"));

            Await.until("every example is in a finished file", TIMEOUT, () -> finishedExamples().size() >= records);
            Map<String, JsonNode> byId = new HashMap<>();
            for (String line : finishedExamples()) {
                JsonNode example = JSON.readTree(line);
                assertThat(byId.put(example.get("id").asText(), example)).as("one example per labelled record").isNull();
            }
            assertThat(byId).hasSize(records);
            assertThat(byId.values()).allSatisfy(example -> {
                int i = Integer.parseInt(example.get("id").asText().substring(2));
                assertThat(example.get("label").asInt()).isEqualTo(truth.get("e-" + i));
                assertThat(example.get("model").asText()).isEqualTo(i % 2 == 0 ? "default" : "fraud");
                assertThat((float) example.get("features").get(1).asDouble()).isEqualTo(features(i)[1]);
            });
        }
    }

    /** The lines of the example files the sink has finished (in-progress files have hidden names). */
    private List<String> finishedExamples() {
        try (Stream<Path> files = Files.walk(examples)) {
            List<String> lines = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
            return lines;
        } catch (IOException e) {
            // A file renamed while listing: look again.
            return List.of();
        }
    }

    /** The evaluation of one name's version against the figures of its raw (score, label) pairs. */
    private static void expectFigures(List<JsonNode> lines, List<Result> scored, String key, Map<String, Integer> truth) {
        EvaluationFigures expected = new EvaluationFigures();
        for (Result r : scored) {
            if ((r.model() + "@" + r.modelVersion()).equals(key)) {
                expected.add(new LabelledPrediction(Prediction.of(r).orElseThrow(), truth.get(r.id())));
            }
        }
        long labelled = lines.stream().mapToLong(n -> n.get("labelled").asLong()).sum();
        assertThat(labelled).as(key).isEqualTo(expected.records).isPositive();
        double accuracy = lines.stream().mapToDouble(n -> n.get("accuracy").asDouble() * n.get("labelled").asLong()).sum() / labelled;
        double logLoss = lines.stream().mapToDouble(n -> n.get("logLoss").asDouble() * n.get("labelled").asLong()).sum() / labelled;
        assertThat(accuracy).as(key + " accuracy").isCloseTo(expected.accuracy(), within(1e-9));
        assertThat(logLoss).as(key + " log-loss").isCloseTo(expected.logLoss(), within(1e-9));
        if (lines.size() == 1) {
            assertThat(lines.get(0).get("auc").asDouble()).as(key + " AUC").isCloseTo(expected.auc(), within(1e-9));
            assertThat(lines.get(0).get("positiveRate").asDouble()).isCloseTo(expected.positiveRate(), within(1e-9));
        }
    }

    /** The fewest model names any scoring subtask holds; 0 while the cluster cannot tell. */
    private static double modelNames(URI rest, Run run) {
        try {
            Map<Integer, Double> names = JobMetrics.operatorMetric(rest, run.job.getJobID(), "modelNames");
            return names.size() < 2 ? 0 : names.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static long labelled(List<String> evaluations) {
        long total = 0;
        for (String line : evaluations) {
            try {
                total += JSON.readTree(line).get("labelled").asLong();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return total;
    }

    private static String line(int i) {
        float[] f = features(i);
        return "{\"id\":\"e-" + i + "\"" + (i % 2 == 0 ? "" : ",\"model\":\"fraud\"") + ",\"features\":[" + f[0] + "," + f[1] + "]}";
    }

    private static float[] features(int i) {
        return new float[] {(i % 17) / 4.0f - 2, (i % 13) / 3.0f - 2};
    }

    @SuppressWarnings("try")
    private record Run(JobClient job, Collected<Result> scored, Collected<String> evaluations, Collected<RejectedRecord> unmatched,
            Collected<RejectedRecord> badLabels) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            job.cancel().get(60, TimeUnit.SECONDS);
            for (Collected<?> collected : List.of(scored, evaluations, unmatched, badLabels)) {
                collected.close();
            }
        }
    }

    private Run start(int port, int labelPort) throws Exception {
        JobOptions options = JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", "2", "--input-format", "json",
                "--label-port", Integer.toString(labelPort), "--label-wait", "12s", "--eval-window", WINDOW_MILLIS + "ms",
                "--checkpoint-interval", "500ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.configure(env, options);
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options,
                ScoringPipeline.parseLines(ModelcastJob.socketLines(env, options), InputFormat.JSON).records(),
                ModelcastJob.modelFiles(env, options));
        LabelPipeline.Labels<RejectedRecord> labels = LabelPipeline.fromSocket(env, options.labels());
        LabelPipeline.Outputs evaluation = LabelPipeline.define(options.labels(), outputs.scored(), labels.labels(),
                Optional.of(InputFormat.JSON));
        LabelPipeline.writeFiles(evaluation.examples().orElseThrow(), examples.toUri());
        Collected<Result> scored = Collected.of(outputs.scored(), "scored");
        Collected<String> evaluations = Collected.of(evaluation.evaluations(), "evaluations");
        Collected<RejectedRecord> unmatched = Collected.of(evaluation.unmatched(), "unmatched");
        Collected<RejectedRecord> badLabels = Collected.of(labels.bad(), "bad-labels");
        JobClient job = env.executeAsync("labels");
        for (Collected<?> collected : List.of(scored, evaluations, unmatched, badLabels)) {
            collected.start();
        }
        return new Run(job, scored, evaluations, unmatched, badLabels);
    }
}
