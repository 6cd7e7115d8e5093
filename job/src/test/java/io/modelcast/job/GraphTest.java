package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.testing.Uids;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The socket job's graph as ModelcastJob builds it. */
class GraphTest {

    @TempDir Path models;

    @Test
    void everyOperatorOfTheSocketJobHasAUidSoSavepointsMapBack() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.build(env, JobArguments.parse("--port", "9999", "--models", models.toString(), "--parallelism", "3"));

        assertThat(Uids.missingIn(env)).isEmpty();
    }

    @Test
    void everyOperatorOfTheLabelsAndTheirEvaluationHasAUid() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.build(env, JobArguments.parse("--port", "9999", "--models", models.toString(), "--input-format", "json",
                "--label-port", "9998", "--examples-dir", models.resolve("examples").toString()));

        assertThat(Uids.missingIn(env)).isEmpty();
        assertThat(parallelismOf(env, "Labels 127.0.0.1:9998")).isEqualTo(1);
    }

    @Test
    void theScoringOperatorRunsWithTheAskedParallelismAndTheSourcesWithOne() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ModelcastJob.build(env, JobArguments.parse("--port", "9999", "--models", models.toString(), "--parallelism", "3"));

        assertThat(parallelismOf(env, "Score with latest model")).isEqualTo(3);
        assertThat(parallelismOf(env, "Socket 127.0.0.1:9999")).isEqualTo(1);
        assertThat(parallelismOf(env, "Parse input")).isEqualTo(1);
        assertThat(parallelismOf(env, "Load and validate model")).isEqualTo(1);
    }

    private static int parallelismOf(StreamExecutionEnvironment env, String name) {
        return env.getTransformations().stream()
                .flatMap(t -> t.getTransitivePredecessors().stream())
                .filter(t -> t.getName().equals(name))
                .map(Transformation::getParallelism)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator named " + name));
    }
}
