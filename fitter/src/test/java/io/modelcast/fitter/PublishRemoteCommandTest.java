package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.StandInPredictServer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishRemoteCommandTest {

    @TempDir Path models;

    @Test
    void publishesAPointerAsTheNextVersion() throws Exception {
        fitter("fit", "--models", models.toString());
        Run run = fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:8501",
                "--serving-name", "seed", "--serving-version", "3", "--timeout", "250ms", "--retries", "1",
                "--on-failure", "fallback", "--fallback-version", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("published model-2.json: 2  remote  ");
        assertThat(new ModelFileCodec().read(models.resolve("model-2.json")).model()).isEqualTo(new RemoteModel(
                URI.create("http://127.0.0.1:8501"), "seed", OptionalLong.of(3), Duration.ofMillis(250), 1,
                RemoteModel.OnFailure.FALLBACK, OptionalLong.of(1), 0.5));
    }

    @Test
    void publishesAPointerAsAChallengerOfTheLocalChampion() throws Exception {
        fitter("fit", "--models", models.toString(), "--name", "fraud");
        Run run = fitter("publish-remote", "--models", models.toString(), "--name", "fraud", "--endpoint",
                "http://127.0.0.1:8501", "--serving-name", "seed", "--role", "challenger", "--rollout", "canary:20",
                "--promote-after", "500");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var published = new ModelFileCodec().read(models.resolve("fraud").resolve("model-2.json"));
        assertThat(published.model()).isInstanceOf(RemoteModel.class);
        assertThat(published.rollout()).hasValueSatisfying(rollout -> {
            assertThat(rollout.challenges()).isEqualTo(1);
            assertThat(rollout.percent()).isEqualTo(20.0);
            assertThat(rollout.policy().promoteAfter()).isEqualTo(500);
        });
        Run withoutMode = fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:8501",
                "--serving-name", "seed", "--role", "challenger");
        assertThat(withoutMode.exitCode()).isEqualTo(2);
        assertThat(withoutMode.err()).contains("--role challenger needs --rollout");
    }

    @Test
    void transformAsksTheServerThePointerNames() throws Exception {
        try (StandInPredictServer server = StandInPredictServer.start(4)
                .serve("seed", 2, instance -> JsonNodeFactory.instance.textNode(String.format("%02d", instance.asLong()).repeat(3)))
                .serve("scorer", 1, instance -> JsonNodeFactory.instance.numberNode(instance.get(0).asDouble() / 10))) {
            fitter("publish-remote", "--models", models.toString(), "--endpoint", server.endpoint().toString(), "--serving-name", "seed");
            Run seed = fitter("transform", "--models", models.toString(), "--once");
            assertThat(seed.exitCode()).as(seed.err()).isZero();
            assertThat(seed.out()).contains("000000 010101 020202").contains("191919");

            fitter("publish-remote", "--models", models.toString(), "--endpoint", server.endpoint().toString(), "--serving-name", "scorer");
            Run scorer = fitter("transform", "--models", models.toString(), "--once", "--input", "7,1", "--input", "2,0");
            assertThat(scorer.out()).contains("[7,1] -> score 0.700000, label 1").contains("[2,0] -> score 0.200000, label 0");

            fitter("publish-remote", "--models", models.toString(), "--endpoint", server.endpoint().toString(), "--serving-name", "absent");
            Run absent = fitter("transform", "--models", models.toString(), "--once");
            assertThat(absent.exitCode()).isNotZero();
            assertThat(absent.err()).contains("did not score").contains("answered 404");
        }
    }

    @Test
    void refusesAFallbackThatIsNotAPublishedLocalModel() {
        Run missing = fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:8501",
                "--serving-name", "seed", "--on-failure", "fallback", "--fallback-version", "7");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("--fallback-version 7 cannot be read");

        fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:8501", "--serving-name", "seed");
        Run remote = fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:8501",
                "--serving-name", "seed", "--on-failure", "fallback", "--fallback-version", "1");
        assertThat(remote.err()).contains("--fallback-version 1 is a remote model; a fallback must be local");
        assertThat(models.resolve("model-2.json")).doesNotExist();
    }

    @Test
    void namesTheOptionThatIsWrong() {
        Run run = fitter("publish-remote", "--models", models.toString(), "--endpoint", "ftp://127.0.0.1/", "--serving-name", "seed");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).startsWith("fitter publish-remote: --endpoint must be an http or https address");
        Run fallback = fitter("publish-remote", "--models", models.toString(), "--endpoint", "http://127.0.0.1:1",
                "--serving-name", "seed", "--on-failure", "fallback");
        assertThat(fallback.err()).contains("--fallback-version is missing");
    }
}
