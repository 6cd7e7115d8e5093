package io.modelcast.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.InputFormat;
import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.ModelcastJob;
import io.modelcast.job.ScoringPipeline;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.Result;
import io.modelcast.job.testing.Await;
import io.modelcast.job.testing.Collected;
import io.modelcast.job.testing.GeneratedLines;
import io.modelcast.job.testing.JobMetrics;
import io.modelcast.model.features.Event;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Raw events through the whole job at parallelism 4 on a MiniCluster: features computed in keyed
 * state, per key, equal to what the fitter's offline pass computes from the same events; the state
 * a checkpoint holds bounded by keys × events kept; a spec change switching every subtask and
 * dropping the state the new spec does not use.
 */
class EventFeaturesITCase {

    private static final int PARALLELISM = 4;
    private static final int KEYS = 1_000;
    private static final int EVENTS = 100_000;
    private static final int EVENTS_PER_BATCH = 100;
    private static final long START = 1_767_225_600_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FEATURE = Pattern.compile("\"([A-Za-z0-9_]+)\":([^,}]+)");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).build());

    @TempDir Path models;

    private JobClient job;
    private Collected<Result> scored;
    private Collected<RejectedRecord> rejected;

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (scored != null) {
            scored.close();
            rejected.close();
        }
    }

    /** Event {@code i}: a pseudo-random one of {@link #KEYS} users, 10 ms after the one before, some amount. */
    static String event(long i) {
        int user = (int) ((i * 2_654_435_761L) % KEYS);
        double amount = ((i * 7_919) % 10_007) / 100.0 + 1;
        return FeatureSpecs.purchase(i, START + 10 * i, user, amount);
    }

    @Test
    void everyKeysFeaturesEqualWhatTheFitterComputesOfflineAndTheCheckpointIsBoundedByKeysTimesEventsKept(
            @InjectClusterRESTAddress URI rest) throws Exception {
        FeatureSpecs.publish(ModelDirectory.open(models), FeatureSpecs.PURCHASES);
        start(EVENTS, 500);
        Await.until("every event is scored", TIMEOUT, () -> scored.size() + rejected.size() >= EVENTS);
        long allScored = System.currentTimeMillis();

        assertThat(rejected.snapshot()).isEmpty();
        List<Event> events = new ArrayList<>();
        for (long i = 0; i < EVENTS; i++) {
            events.add(Event.of(JSON.readTree(event(i)), "ts"));
        }
        List<double[]> offline = FeatureComputer.offline(FeatureSpecs.PURCHASES, events);
        Map<String, Result> byId = scored.snapshot().stream().collect(Collectors.toMap(Result::id, r -> r));
        assertThat(byId).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Float> shown = features(byId.get("e" + i));
            List<String> names = FeatureSpecs.PURCHASES.names();
            for (int f = 0; f < names.size(); f++) {
                assertThat(shown.get(names.get(f))).as("%s of event %d", names.get(f), i).isEqualTo((float) offline.get(i)[f]);
            }
        }
        assertThat(scored.snapshot()).extracting(Result::subtask).containsOnly(0, 1, 2, 3);

        long stateBytes = checkpointedBytes(rest, "Compute features", allScored);
        // Per key: mean10 and max10 keep 10 events, count_1m the minute (6 at 10 s apart) and sum_30s
        // half a minute, plus what 5 s of lateness adds (none here), since_last 2: 16 bytes an event.
        long eventsKept = 10 + 10 + 7 + 4 + 2;
        long bound = KEYS * (eventsKept * 16 + 400);
        System.out.printf("[feature-state] keys=%d stateBytes=%d bytesPerKey=%d bound=%d%n", KEYS, stateBytes, stateBytes / KEYS, bound);
        assertThat(stateBytes).as("checkpointed feature state, bytes").isBetween(KEYS * eventsKept * 16, bound);
    }

    @Test
    void aSpecChangeSwitchesEverySubtaskAndDropsTheStateTheNewSpecDoesNotUse(@InjectClusterRESTAddress URI rest) throws Exception {
        ModelDirectory directory = ModelDirectory.open(models);
        FeatureSpecs.publish(directory, FeatureSpecs.PURCHASES);
        start(Long.MAX_VALUE, 100);
        Await.until("every key has ten events", TIMEOUT, () -> scored.size() >= 10 * KEYS + 2 * KEYS);
        long before = checkpointedBytes(rest, "Compute features", System.currentTimeMillis());

        FeatureSpecs.publish(directory, FeatureSpecs.SMALLER);
        Await.until("every scoring subtask scores version 2", TIMEOUT, () -> scored.snapshot().stream()
                .filter(r -> r.modelVersion() == 2).map(Result::subtask).distinct().count() == PARALLELISM);
        int switched = scored.size();
        Await.until("a thousand more events are scored by version 2", TIMEOUT, () -> scored.size() >= switched + KEYS);
        long after = checkpointedBytes(rest, "Compute features", System.currentTimeMillis());

        List<Result> results = scored.snapshot();
        assertThat(results).filteredOn(r -> r.modelVersion() == 1)
                .allSatisfy(r -> assertThat(features(r).keySet()).containsExactlyInAnyOrderElementsOf(FeatureSpecs.PURCHASES.names()));
        assertThat(results).filteredOn(r -> r.modelVersion() == 2)
                .allSatisfy(r -> assertThat(features(r).keySet()).containsExactlyInAnyOrderElementsOf(FeatureSpecs.SMALLER.names()));
        // Vectors of the first spec still on their way when a scorer switched are scored by version 1
        // (its features say so, above): a version-1 result after a subtask's first version-2 one is one of those.
        int firstOfTheSecond = results.indexOf(results.stream().filter(r -> r.modelVersion() == 2).findFirst().orElseThrow());
        long lateFirstSpec = results.subList(firstOfTheSecond, results.size()).stream().filter(r -> r.modelVersion() == 1).count();
        // Events caught in the switch the other way (keyed by a field the new spec does not key by, or
        // computed by the new spec before the new model reached their scorer) are rejected saying so.
        assertThat(rejected.snapshot()).allSatisfy(r -> assertThat(r.reason).containsAnyOf(
                "spec changed while the event was on its way", "computed by another feature spec"));
        System.out.printf("[feature-state] spec switch: before=%d after=%d rejectedInSwitch=%d scoredByTheFirstAfterTheSwitchBegan=%d%n",
                before, after, rejected.size(), lateFirstSpec);
        // The new spec keeps one of five histories (mean10, 10 events) and starts one (last, 2 events).
        assertThat(after).as("checkpointed feature state after the switch, bytes (%d before)", before).isLessThan(before / 2);
    }

    private void start(long events, int batchesPerSecond) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobOptions options = JobArguments.parse("--models", models.toString(), "--model-poll-interval", "100ms",
                "--parallelism", Integer.toString(PARALLELISM), "--input-format", "events", "--emit-features",
                "--checkpoint-interval", "300ms");
        ModelcastJob.configure(env, options);
        long batches = Long.MAX_VALUE;
        var lines = GeneratedLines.of(env, batchesPerSecond, batches, b -> {
            if ((b + 1) * EVENTS_PER_BATCH > events) {
                return LineBatch.of();
            }
            String[] batch = new String[EVENTS_PER_BATCH];
            for (int k = 0; k < EVENTS_PER_BATCH; k++) {
                batch[k] = event(b * EVENTS_PER_BATCH + k);
            }
            return LineBatch.of(batch);
        });
        ScoringPipeline.Outputs outputs = ScoringPipeline.define(options, ScoringPipeline.parseLines(lines, InputFormat.EVENTS).records(),
                ModelcastJob.modelFiles(env, options));
        scored = Collected.of(outputs.scored(), "scored");
        rejected = Collected.of(outputs.modelFailures().union(outputs.noModelYet()), "rejected");
        job = env.executeAsync("event-features-test");
        scored.start();
        rejected.start();
    }

    /** The features a result shows, by name, each read as the 32-bit number it was printed from. */
    private static Map<String, Float> features(Result result) {
        Map<String, Float> features = new HashMap<>();
        Matcher matcher = FEATURE.matcher(result.features());
        while (matcher.find()) {
            features.put(matcher.group(1), Float.parseFloat(matcher.group(2)));
        }
        return features;
    }

    /**
     * The state size of the vertex named {@code vertexPrefix} in the first checkpoint completed after
     * {@code after} (epoch ms), from the REST API the web UI uses.
     */
    private long checkpointedBytes(URI rest, String vertexPrefix, long after) throws Exception {
        String vertex = JobMetrics.vertexId(rest, job.getJobID(), vertexPrefix);
        HttpClient http = HttpClient.newHttpClient();
        long[] size = {-1};
        Await.until("a checkpoint completes", TIMEOUT, () -> {
            try {
                JsonNode latest = get(http, rest, "/jobs/" + job.getJobID() + "/checkpoints").path("latest").path("completed");
                if (latest.isMissingNode() || latest.isNull() || latest.path("trigger_timestamp").asLong() <= after) {
                    return false;
                }
                JsonNode details = get(http, rest, "/jobs/" + job.getJobID() + "/checkpoints/details/" + latest.path("id").asLong());
                size[0] = details.path("tasks").path(vertex).path("state_size").asLong(-1);
                return size[0] >= 0;
            } catch (Exception e) {
                return false;
            }
        });
        return size[0];
    }

    private static JsonNode get(HttpClient http, URI rest, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
