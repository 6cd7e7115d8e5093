package io.modelcast.job.records;

import io.modelcast.model.ModelName;

import static io.modelcast.job.records.SerializerChecks.restoredFromItsSnapshot;
import static io.modelcast.job.records.SerializerChecks.roundTrip;
import static io.modelcast.job.records.SerializerChecks.serializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.job.records.RemoteRequest.Fallback;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.RemoteRequest.RemoteInput;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The serializers of results and remote requests: what Flink picks, round trips of every shape,
 * and the remote requests' snapshot, which must read the POJO form earlier builds checkpointed.
 */
class ResultSerializersTest {

    private static final RecordOrigin ORIGIN = new RecordOrigin("s0", 3, 42, 1_700_000_000_000L, "k".getBytes(StandardCharsets.UTF_8));

    @Test
    void flinkUsesTheHandWrittenSerializersNotThePojoSerializer() {
        assertThat(serializer(Result.class)).isInstanceOf(ResultSerializer.class);
        assertThat(serializer(RemoteCallInFlight.class)).isInstanceOf(RemoteRequestSerializer.class);
        assertThat(serializer(RemoteOutcome.class)).isInstanceOf(RemoteOutcomeSerializer.class);
    }

    @Test
    void resultsOfEveryKindSurviveSerialization() throws IOException {
        Result integer = Result.output("7", "070707", 3, 5012, 1, null);
        Result prediction = Result.prediction("[0.5,1.0]", "r-17", 0.87, 1, 4, 12, 0, ORIGIN);
        Result fallback = Result.output("8", "080808", 1, 99, 2, ORIGIN).asFallbackFrom(2, "remote model version 2: answered 503");
        Result noId = Result.prediction("[1]", null, 0.25, 0, 5, 0, 0, null);

        for (Result result : List.of(integer, prediction, fallback, noId)) {
            assertThat(roundTrip(result, ResultSerializer.INSTANCE)).isEqualTo(result);
        }
    }

    @Test
    void remoteRequestsWithAndWithoutAFallbackAndOfChallengersSurviveSerialization() throws IOException {
        List<RemoteInput> inputs = List.of(new RemoteInput("7", null, ORIGIN, "[7]"), new RemoteInput("-3", "id-1", null, "[-3]"));
        RemoteRequest plain = new RemoteRequest(ModelName.DEFAULT, 2, "{\"url\":\"http://127.0.0.1:1/v1/models/m\"}",
                RemoteRequest.Kind.INTEGERS, 40, 1, inputs, Optional.empty(), RemoteRequest.Purpose.SERVE);
        List<RemoteInput> featureInputs =
                List.of(new RemoteInput("0.5,1", "a", null, "[[0.5,1.0]]"), new RemoteInput("x", "b", null, "[[2.0,2.0]]"));
        Optional<Fallback> outcomes = Optional.of(new Fallback(1, 250, List.of(new LocalOutcome.Output("1", OptionalDouble.of(0.75)),
                new LocalOutcome.Failure("2 features, the model takes 3"))));
        RemoteRequest withFallback = new RemoteRequest(ModelName.DEFAULT, 3, "{}", RemoteRequest.Kind.FEATURES, 0, 0,
                featureInputs, outcomes, RemoteRequest.Purpose.SERVE);
        RemoteRequest canary = new RemoteRequest("fraud", 4, "{}", RemoteRequest.Kind.FEATURES, 10, 2, featureInputs, outcomes,
                RemoteRequest.Purpose.CANARY);
        RemoteRequest shadow = new RemoteRequest("fraud", 4, "{}", RemoteRequest.Kind.FEATURES, 10, 2, featureInputs, outcomes,
                RemoteRequest.Purpose.SHADOW);

        for (RemoteRequest request : List.of(plain, withFallback, canary, shadow)) {
            assertThat(roundTrip(request, RemoteRequestSerializer.INSTANCE)).isEqualTo(request);
        }
    }

    @Test
    void aRemoteBatchOfAnEarlierBuildBecomesTheRequestItStoodFor() throws IOException {
        RemoteBatch legacy = new RemoteBatch();
        legacy.records = new ScoredRecord[] {legacyRecord("7", "[7]", "070707", null), legacyRecord("x", "[9]", null, "not a number")};

        RemoteRequest request = legacy.request();

        assertThat(request).isEqualTo(new RemoteRequest(ModelName.DEFAULT, 2, "{\"p\":1}", RemoteRequest.Kind.INTEGERS, 30, 1,
                List.of(new RemoteInput("7", null, ORIGIN, "[7]"), new RemoteInput("x", null, ORIGIN, "[9]")),
                Optional.of(new Fallback(1, 30, List.of(new LocalOutcome.Output("070707", OptionalDouble.empty()),
                        new LocalOutcome.Failure("not a number")))), RemoteRequest.Purpose.SERVE));
        assertThat(roundTrip((RemoteCallInFlight) legacy, RemoteRequestSerializer.INSTANCE))
                .as("written in the current form").isEqualTo(request);
    }

    @Test
    void aChallengersRequestCarriesItsChampionsOutcomes() {
        List<RemoteInput> inputs = List.of(new RemoteInput("7", null, null, "[7]"));
        assertThatThrownBy(() -> new RemoteRequest("fraud", 4, "{}", RemoteRequest.Kind.INTEGERS, 0, 0, inputs, Optional.empty(),
                RemoteRequest.Purpose.CANARY)).hasMessageContaining("champion's outcomes");
    }

    @Test
    void remoteOutcomesOfEveryKindSurviveSerialization() throws IOException {
        RemoteOutcome.Challenged failed = new RemoteOutcome.Challenged("fraud", 3, 4, true, OptionalDouble.empty(), 1_500_000);
        RemoteOutcome.Challenged scored = new RemoteOutcome.Challenged("fraud", 3, 4, false, OptionalDouble.of(0.25), 900);
        List<RemoteOutcome> outcomes = List.of(
                new RemoteOutcome.Scored(Result.prediction("[0.5,1.0]", "r-17", 0.87, 1, 4, 12, 0, ORIGIN), Optional.empty()),
                new RemoteOutcome.Scored(Result.output("7", "070707", 3, 5, 1, null), Optional.of(failed)),
                new RemoteOutcome.Rejected(new RejectedRecord("x", "remote model version 4: answered 500", ORIGIN),
                        Optional.of(failed)),
                new RemoteOutcome.Rejected(new RejectedRecord("y", "no fallback"), Optional.empty()),
                new RemoteOutcome.Shadowed("{\"model\":\"fraud\"}", scored, true));

        for (RemoteOutcome outcome : outcomes) {
            assertThat(roundTrip(outcome, RemoteOutcomeSerializer.INSTANCE)).isEqualTo(outcome);
        }
    }

    private static ScoredRecord legacyRecord(String input, String instance, String fallbackOutput, String fallbackError) {
        ScoredRecord record = new ScoredRecord();
        record.input = input;
        record.modelVersion = 2;
        record.modelAgeMs = 30;
        record.subtask = 1;
        record.origin = ORIGIN;
        record.remote = new RemoteCall();
        record.remote.pointerVersion = 2;
        record.remote.pointer = "{\"p\":1}";
        record.remote.instance = instance;
        record.remote.fallbackVersion = 1;
        record.remote.fallbackOutput = fallbackOutput;
        record.remote.fallbackError = fallbackError;
        return record;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRemoteRequestSnapshotMigratesThePojoStateOfEarlierBuilds() {
        RemoteRequestSerializer.Snapshot current = new RemoteRequestSerializer.Snapshot();
        TypeSerializerSnapshot<RemoteCallInFlight> pojo = (TypeSerializerSnapshot<RemoteCallInFlight>)
                (TypeSerializerSnapshot<?>) serializer(RemoteBatch.class).snapshotConfiguration();

        assertThat(current.resolveSchemaCompatibility(new RemoteRequestSerializer.Snapshot()).isCompatibleAsIs()).isTrue();
        assertThat(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration())
                .as("the POJO form of builds up to e84b367").isTrue();
        assertThat(new ResultSerializer.Snapshot().resolveSchemaCompatibility(new ResultSerializer.Snapshot())
                .isCompatibleAsIs()).isTrue();
    }

    @Test
    void theSerializersRestoreFromTheirSnapshots() throws IOException {
        for (TypeSerializer<?> serializer : List.of(ResultSerializer.INSTANCE, RemoteRequestSerializer.INSTANCE,
                RemoteOutcomeSerializer.INSTANCE)) {
            assertThat(restoredFromItsSnapshot(serializer)).isSameAs(serializer);
        }
    }
}
