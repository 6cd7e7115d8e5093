package io.modelcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

class KafkaClientOptionsTest {

    @TempDir Path dir;

    static final class Tool {
        @Mixin KafkaClientOptions kafka = new KafkaClientOptions();
    }

    @Test
    void theFileIsReadAndCommandLineSettingsGoOverIt() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"),
                "# a secured cluster\nsecurity.protocol=SASL_PLAINTEXT\nclient.id=from-file\n");
        Tool tool = new Tool();
        new CommandLine(tool).parseArgs("--kafka-properties", file.toString(), "--kafka-property", "client.id=from-command-line");

        Properties own = new Properties();
        own.put("bootstrap.servers", "127.0.0.1:9092");
        assertThat(tool.kafka.over(own, "tcpsource")).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("client.id", "from-command-line");
    }

    @Test
    void aKeyTheCommandSetsItselfIsRefusedByNameNotValue() {
        Properties own = new Properties();
        own.put("acks", "all");

        assertThatThrownBy(() -> KafkaClientOptions.of(null, Map.of("acks", "secret-looking-value")).over(own, "tcpsource"))
                .hasMessage("--kafka-property (or --kafka-properties) acks: tcpsource sets it itself; leave it out");
    }

    @Test
    void anUnreadableFileIsNamedWithoutItsContent() throws Exception {
        assertThatThrownBy(() -> KafkaClientOptions.of(dir.resolve("none"), Map.of()).settings())
                .hasMessage("--kafka-properties " + dir.resolve("none") + ": no such file");
        Path bad = Files.writeString(dir.resolve("bad.properties"), "sasl.jaas.config=password\\u12\n");
        assertThatThrownBy(() -> KafkaClientOptions.of(bad, Map.of()).settings())
                .hasMessageContaining("cannot read it as a properties file").hasMessageNotContaining("password");
    }
}
