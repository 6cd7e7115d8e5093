package io.modelcast.job.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.JobArguments;
import io.modelcast.job.store.ModelStore;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.Optional;

class ModelStoreChoiceTest {

    private static final Configuration WITH_CHECKPOINTS = new Configuration();

    static {
        WITH_CHECKPOINTS.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints/");
    }

    @Test
    void byDefaultTheStoreIsInTheCheckpointDirectoryIfTheConfigurationNamesOne() {
        ModelStoreChoice choice = JobArguments.parse("--models", "/m").models().store();

        assertThat(choice.resolve(WITH_CHECKPOINTS).map(ModelStore::directory)).contains("s3://bucket/checkpoints/model-store");
        assertThat(choice.resolve(new Configuration())).isEmpty();
    }

    @Test
    void aDirectoryOrNoneCanBeChosen() {
        assertThat(JobArguments.parse("--models", "/m", "--model-store", "hdfs://nn/store").models().store()
                .resolve(WITH_CHECKPOINTS).map(ModelStore::directory)).contains("hdfs://nn/store");
        assertThat(JobArguments.parse("--models", "/m", "--model-store", "/shared/store").models().store()
                .resolve(new Configuration()).map(ModelStore::directory)).contains("file:///shared/store");
        assertThat(JobArguments.parse("--models", "/m", "--model-store", "none").models().store()
                .resolve(WITH_CHECKPOINTS)).isEqualTo(Optional.empty());
    }
}
