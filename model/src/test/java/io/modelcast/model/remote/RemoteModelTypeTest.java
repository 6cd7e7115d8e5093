package io.modelcast.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.ModelTypes;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RemoteModelTypeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RemoteModelType type = new RemoteModelType();

    private RemoteModel parse(String parameters) throws Exception {
        return type.fromParameters(JSON.readTree(parameters));
    }

    @Test
    void readsAPointerWithDefaults() throws Exception {
        RemoteModel model = parse("{\"endpoint\": \"http://127.0.0.1:8501\", \"name\": \"scorer\"}");
        assertThat(model).isEqualTo(new RemoteModel(URI.create("http://127.0.0.1:8501"), "scorer", OptionalLong.empty(),
                Duration.ofMillis(1000), 2, RemoteModel.OnFailure.FAIL, OptionalLong.empty(), 0.5));
        assertThat(model.predictUri()).isEqualTo(URI.create("http://127.0.0.1:8501/v1/models/scorer:predict"));
        assertThat(ModelTypes.byName("remote")).containsInstanceOf(RemoteModelType.class);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        RemoteModel model = parse("{\"endpoint\": \"https://serving.example:8501/tf/\", \"name\": \"s-1.b_2\","
                + " \"servingVersion\": 3, \"timeoutMs\": 250, \"retries\": 0, \"onFailure\": \"fallback\","
                + " \"fallbackVersion\": 12, \"threshold\": 0.7}");
        assertThat(model.predictUri()).isEqualTo(URI.create("https://serving.example:8501/tf/v1/models/s-1.b_2/versions/3:predict"));
        assertThat(model.fallbackVersion()).hasValue(12);
        JsonNode written = type.toParameters(model);
        assertThat(type.fromParameters(written)).isEqualTo(model);
        assertThat(ModelTypes.parametersOf(model)).isEqualTo(written);
    }

    @Test
    void rejectsBadPointersNamingTheParameter() {
        String[][] cases = {
            {"{\"name\": \"s\"}", "endpoint"},
            {"{\"endpoint\": \"ftp://127.0.0.1/\", \"name\": \"s\"}", "endpoint"},
            {"{\"endpoint\": \"http://127.0.0.1:1/?x=1\", \"name\": \"s\"}", "endpoint"},
            {"{\"endpoint\": \"http://user:pw@127.0.0.1:1\", \"name\": \"s\"}", "endpoint"},
            {"{\"endpoint\": \"not a url\", \"name\": \"s\"}", "endpoint"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"../admin\"}", "name"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"servingVersion\": 0}", "servingVersion"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"timeoutMs\": 0}", "timeoutMs"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"timeoutMs\": 60001}", "timeoutMs"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"retries\": 11}", "retries"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"onFailure\": \"ignore\"}", "onFailure"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"onFailure\": \"fallback\"}", "fallbackVersion"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"fallbackVersion\": 3}", "fallbackVersion"},
            {"{\"endpoint\": \"http://127.0.0.1:1\", \"name\": \"s\", \"threshold\": 2}", "threshold"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0])
                    .isInstanceOf(InvalidParametersException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
