package io.modelcast.tcpsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

class DemoLinesTest {

    private final DemoLines lines = new DemoLines();

    @Test
    void aRoundIsZeroToNineteen() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.writeRound(out);

        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n");
    }

    @Test
    void lineIOfTheStreamIsIModuloTwenty() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Three calls that start mid-round and cross the end of the pre-built buffer.
        lines.writeLines(out, 0, 7);
        lines.writeLines(out, 7, 399_990);
        lines.writeLines(out, 399_997, 1_000);

        String[] values = out.toString(StandardCharsets.US_ASCII).split("\n");
        assertThat(values).hasSize(400_997);
        for (int i = 0; i < values.length; i++) {
            if (!values[i].equals(Integer.toString(i % 20))) {
                throw new AssertionError("line " + i + " is " + values[i]);
            }
        }
    }

    @Test
    void aFileIsOneRoundAndLoadModeRepeatsItAcrossBufferEnds(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rows.csv"), "1.0,2.0\n\nü,3\n4,5\n");
        DemoLines fromFile = DemoLines.fromFile(file);
        assertThat(fromFile.roundLength()).isEqualTo(3);
        assertThat(fromFile.describeRound()).isEqualTo("3 lines");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fromFile.writeLines(out, 2, 300_001);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(300_001);
        String[] round = {"1.0,2.0", "ü,3", "4,5"};
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals(round[(i + 2) % 3])) {
                throw new AssertionError("line " + i + " is " + lines[i]);
            }
        }
    }

    @Test
    void aFileWithoutLinesIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "\n  \n");
        assertThatThrownBy(() -> DemoLines.fromFile(empty)).hasMessageContaining("holds no line to send");
    }
}
