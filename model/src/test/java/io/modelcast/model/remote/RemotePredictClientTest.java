package io.modelcast.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.modelcast.model.remote.RemotePredictClient.Answer;
import io.modelcast.model.remote.RemotePredictClient.Failed;
import io.modelcast.model.remote.RemotePredictClient.Predictions;
import io.modelcast.model.remote.StandInPredictServer.Delay;
import io.modelcast.model.remote.StandInPredictServer.Malformed;
import io.modelcast.model.remote.StandInPredictServer.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RemotePredictClient} against {@link StandInPredictServer}, which stands in for TensorFlow Serving. */
class RemotePredictClientTest {

    private static StandInPredictServer server;
    private static RemotePredictClient client;

    @BeforeAll
    static void start() throws Exception {
        server = StandInPredictServer.start(8)
                .serve("seed", 1, instance -> text(String.format("%02d", instance.asLong())))
                .serve("seed", 2, instance -> text(String.format("%02d", instance.asLong()).repeat(3)))
                .serve("scorer", 1, instance -> JsonNodeFactory.instance.numberNode(instance.get(0).asDouble() / 10));
        client = new RemotePredictClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void noFaults() {
        server.faults((instances, attempt) -> null);
    }

    private static JsonNode text(String value) {
        return JsonNodeFactory.instance.textNode(value);
    }

    private static RemoteModel pointer(String name, Long version, long timeoutMs, int retries) {
        return pointer(server.endpoint(), name, version, timeoutMs, retries);
    }

    private static RemoteModel pointer(URI endpoint, String name, Long version, long timeoutMs, int retries) {
        return new RemoteModel(endpoint, name, version == null ? OptionalLong.empty() : OptionalLong.of(version),
                Duration.ofMillis(timeoutMs), retries, RemoteModel.OnFailure.FAIL, OptionalLong.empty(), 0.5);
    }

    private static Answer call(RemoteModel model, String instances, int count) throws Exception {
        return client.predict(model, instances, count).get(30, TimeUnit.SECONDS);
    }

    @Test
    void routesToTheServingVersionThePointerNames() throws Exception {
        assertThat(call(pointer("seed", 1L, 1000, 0), "[7]", 1))
                .isEqualTo(new Predictions(List.of(text("07")), 1));
        assertThat(call(pointer("seed", 2L, 1000, 0), "[7,19]", 2))
                .isEqualTo(new Predictions(List.of(text("070707"), text("191919")), 1));
        // No version: the server's newest.
        assertThat(((Predictions) call(pointer("seed", null, 1000, 0), "[7]", 1)).predictions())
                .containsExactly(text("070707"));
    }

    @Test
    void sendsFeatureVectorsAsNestedArrays() throws Exception {
        float[] features = {9f, 4f, 2.5f, 0f};
        String instance = RemotePredictClient.featureInstance(features, 1, 2);
        assertThat(instance).isEqualTo("[[4.0,2.5]]");
        Predictions answer = (Predictions) call(pointer("scorer", 1L, 1000, 0), instance, 1);
        assertThat(RemoteModel.score(answer.predictions().get(0))).isEqualTo(0.4);
    }

    @Test
    void retries5xxAndSucceedsWhenTheServerRecovers() throws Exception {
        server.faults((instances, attempt) -> attempt <= 2 ? new Status(503) : null);
        assertThat(call(pointer("seed", 1L, 1000, 2), "[3]", 1)).isEqualTo(new Predictions(List.of(text("03")), 3));
    }

    @Test
    void failsWithTheStatusOnceRetriesAreSpent() throws Exception {
        server.faults((instances, attempt) -> new Status(500));
        Failed failed = (Failed) call(pointer("seed", 1L, 1000, 2), "[3]", 1);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.reason()).contains("answered 500: injected failure").contains("3 attempts");
    }

    @Test
    void timesOutEachAttemptAndRetries() throws Exception {
        server.faults((instances, attempt) -> attempt == 1 ? new Delay(2000) : null);
        assertThat(call(pointer("seed", 1L, 200, 1), "[4]", 1)).isEqualTo(new Predictions(List.of(text("04")), 2));

        server.faults((instances, attempt) -> new Delay(2000));
        Failed failed = (Failed) call(pointer("seed", 1L, 200, 1), "[5]", 1);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.reason()).contains("no answer from").contains("within 200 ms");
    }

    @Test
    void malformedAnswersFailAtOnce() throws Exception {
        for (String body : new String[] {"<html>busy</html>", "{\"outputs\": [1]}", "{\"predictions\": [1, 2]}",
                "{\"predictions\": 1}"}) {
            server.faults((instances, attempt) -> new Malformed(body));
            Failed failed = (Failed) call(pointer("seed", 1L, 1000, 3), "[1]", 1);
            assertThat(failed.attempts()).as(body).isEqualTo(1);
            assertThat(failed.reason()).as(body).startsWith("malformed answer from " + server.endpoint());
        }
        server.faults((instances, attempt) -> new Malformed("{\"predictions\": [1, 2]}"));
        assertThat(((Failed) call(pointer("seed", 1L, 1000, 0), "[1]", 1)).reason()).endsWith("2 predictions for 1 instance");
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        Failed unknownVersion = (Failed) call(pointer("seed", 9L, 1000, 3), "[1]", 1);
        assertThat(unknownVersion.attempts()).isEqualTo(1);
        assertThat(unknownVersion.reason()).contains("/v1/models/seed/versions/9:predict answered 404: Servable not found");

        server.faults((instances, attempt) -> new Status(400));
        assertThat(((Failed) call(pointer("seed", 1L, 1000, 3), "[1]", 1)).attempts()).isEqualTo(1);
    }

    @Test
    void aServerThatIsNotThereFailsAfterRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Failed failed = (Failed) call(pointer(URI.create("http://127.0.0.1:" + closedPort), "seed", 1L, 1000, 1), "[1]", 1);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.reason()).contains("cannot reach http://127.0.0.1:" + closedPort);
    }

    @Test
    void interpretsPredictions() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        assertThat(RemoteModel.score(json.numberNode(0.25))).isEqualTo(0.25);
        assertThat(RemoteModel.score(json.arrayNode().add(0.75))).isEqualTo(0.75);
        assertThat(RemoteModel.score(json.arrayNode().add(0.1).add(0.9))).isEqualTo(0.9);
        assertThatThrownBy(() -> RemoteModel.score(json.textNode("high"))).hasMessageContaining("is not a score");
        assertThatThrownBy(() -> RemoteModel.score(json.arrayNode().add(1).add(2).add(3))).hasMessageContaining("is not a score");
        assertThat(RemoteModel.text(json.textNode("070707"))).isEqualTo("070707");
        assertThat(RemoteModel.text(json.numberNode(7))).isEqualTo("7");
        assertThatThrownBy(() -> RemoteModel.text(json.objectNode())).hasMessageContaining("is not a string or a number");
        assertThatThrownBy(() -> RemoteModel.text(json.textNode("a\u0000b"))).hasMessageContaining("holds a NUL character");
        assertThatThrownBy(() -> RemoteModel.text(json.textNode("x".repeat(RemoteModel.MAX_OUTPUT_CHARS + 1))))
                .hasMessageContaining("is longer than");
    }

    @Test
    void longestCallCoversEveryAttemptAndBackoff() {
        assertThat(RemotePredictClient.longestCall(pointer("seed", 1L, 100, 0))).isEqualTo(Duration.ofMillis(100));
        assertThat(RemotePredictClient.longestCall(pointer("seed", 1L, 100, 2))).isEqualTo(Duration.ofMillis(100 + 25 + 100 + 50 + 100));
    }
}
