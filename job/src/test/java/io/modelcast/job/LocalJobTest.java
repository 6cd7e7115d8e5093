package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

class LocalJobTest {

    @TempDir Path conf;

    private LocalJob parse(String... args) {
        LocalJob local = new LocalJob();
        assertThat(JobArguments.parse(local, args, new PrintWriter(new StringWriter()))).isPresent();
        return local;
    }

    @Test
    void takesTheClusterConfigurationButBindsTheWebUiToLoopbackAndSizesSlotsToTheJob() throws Exception {
        Files.writeString(conf.resolve("config.yaml"), """
                taskmanager:
                  numberOfTaskSlots: 1
                rest:
                  bind-address: 0.0.0.0
                execution:
                  checkpointing:
                    interval: 7s
                    dir: file:///somewhere/checkpoints
                """);

        Configuration configuration =
                parse("--models", "m", "--flink-conf", conf.toString(), "--web-port", "18099").configuration();

        assertThat(configuration.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(configuration.get(RestOptions.PORT)).isEqualTo(18099);
        assertThat(configuration.contains(TaskManagerOptions.NUM_TASK_SLOTS)).isFalse();
        assertThat(configuration.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///somewhere/checkpoints");
        assertThat(configuration.toMap()).containsEntry("execution.checkpointing.interval", "7s");
    }

    @Test
    void checkpointsGoToAFileSystemDirectoryWhenTheConfigurationNamesNone() throws Exception {
        Files.writeString(conf.resolve("config.yaml"), "parallelism:\n  default: 2\n");

        Configuration configuration = parse("--models", "m", "--flink-conf", conf.toString()).configuration();

        assertThat(configuration.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .startsWith("file:/")
                .endsWith("/var/checkpoints");
    }

    @Test
    void aConfigurationDirectoryWithoutConfigYamlIsAnError() {
        assertThatThrownBy(() -> parse("--models", "m", "--flink-conf", conf.toString()).configuration())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no config.yaml");
    }
}
