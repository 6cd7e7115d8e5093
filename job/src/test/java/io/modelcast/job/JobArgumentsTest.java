package io.modelcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;

class JobArgumentsTest {

    private final StringWriter out = new StringWriter();

    private Optional<JobOptions> parse(String... args) {
        return JobArguments.parse(args, new PrintWriter(out, true));
    }

    @Test
    void defaultsNeedOnlyTheModelDirectory() {
        JobOptions options = parse("--models", "/data/models").orElseThrow();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(9999);
        assertThat(options.models()).isEqualTo(URI.create("file:///data/models"));
        assertThat(options.modelPollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.scoringParallelism()).isEmpty();
        assertThat(options.outputFormat()).isEqualTo(OutputFormat.TEXT);
        assertThat(options.maxPending()).isEqualTo(100_000);
    }

    @Test
    void everyOptionIsParsedIntoItsType() {
        JobOptions options = parse("--host", "localhost", "--port", "7000", "--models", "hdfs://nn:8020/models",
                "--model-poll-interval", "100ms", "--parallelism", "4", "--output-format", "json",
                "--max-pending", "10").orElseThrow();

        assertThat(options.host()).isEqualTo("localhost");
        assertThat(options.port()).isEqualTo(7000);
        assertThat(options.models()).isEqualTo(URI.create("hdfs://nn:8020/models"));
        assertThat(options.modelPollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.scoringParallelism()).hasValue(4);
        assertThat(options.outputFormat()).isEqualTo(OutputFormat.JSON);
        assertThat(options.maxPending()).isEqualTo(10);
    }

    @Test
    void aRelativeModelDirectoryIsMadeAbsolute() {
        assertThat(parse("--models", "models").orElseThrow().models())
                .isEqualTo(Paths.get("models").toAbsolutePath().toUri());
    }

    @Test
    void helpIsPrintedAndNoJobIsBuilt() {
        assertThat(parse("--help")).isEmpty();
        assertThat(out.toString()).contains("--models=DIR", "Default: 500ms", "Default: 9999", "Default: text");
    }

    @Test
    void wrongArgumentsFailWithAMessageNotAnExit() {
        assertThatThrownBy(() -> parse()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing required option: '--models=DIR'")
                .hasMessageContaining("--help");
        assertThatThrownBy(() -> parse("--models", "m", "--model-poll-interval", "soon"))
                .hasMessageContaining("invalid duration 'soon'");
        assertThatThrownBy(() -> parse("--models", "m", "--output-format", "xml"))
                .hasMessageContaining("--output-format");
        assertThatThrownBy(() -> parse("--models", "m", "--parallelism", "0"))
                .hasMessageContaining("--parallelism must be at least 1");
        assertThatThrownBy(() -> parse("--models", "m", "--max-pending", "-1"))
                .hasMessageContaining("--max-pending must not be negative");
    }
}
