package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ModelcastJobTest {

    @Test
    void givenArgumentsWinOverConfiguredOnes() {
        Configuration configuration = new Configuration();
        configuration.set(ModelcastJob.JOB_ARGS, "--models /configured");

        assertThat(ModelcastJob.argumentsOrConfigured(new String[] {"--models", "/given"}, configuration))
                .containsExactly("--models", "/given");
    }

    @Test
    void withoutArgumentsTheConfiguredOnesAreUsed() {
        Configuration configuration = new Configuration();
        configuration.set(ModelcastJob.JOB_ARGS, "  --models /data/models   --parallelism 4 ");

        assertThat(ModelcastJob.argumentsOrConfigured(new String[0], configuration))
                .containsExactly("--models", "/data/models", "--parallelism", "4");
    }

    @Test
    void withNeitherTheMessageSaysWhereArgumentsGo() {
        assertThatThrownBy(() -> ModelcastJob.argumentsOrConfigured(new String[0], new Configuration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the job got no arguments")
                .hasMessageContaining("FLINK-39310")
                .hasMessageContaining("modelcast.job.args");
    }
}
