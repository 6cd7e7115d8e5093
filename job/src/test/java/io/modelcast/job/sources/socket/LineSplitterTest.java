package io.modelcast.job.sources.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.LineBatch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

class LineSplitterTest {

    private final LineSplitter splitter = new LineSplitter(8);
    private final List<String> lines = new ArrayList<>();

    @Test
    void linesMayBeCutAnywhereBetweenReads() {
        feed("1\n2");
        feed("3\r\n4");
        feed("\n");

        assertThat(lines).containsExactly("1", "23", "4");
    }

    @Test
    void theLastLineNeedsNoNewlineAtTheEndOfTheStream() {
        feed("7\n8");
        collect(splitter.finish());

        assertThat(lines).containsExactly("7", "8");
    }

    @Test
    void aDiscardedUnfinishedLineIsNotPassedOn() {
        feed("12\n34");
        splitter.discard();
        feed("5\n");

        assertThat(lines).containsExactly("12", "5");
    }

    @Test
    void emptyLinesAreLines() {
        feed("\n\n5\n");

        assertThat(lines).containsExactly("", "", "5");
    }

    @Test
    void aLineOverTheLimitIsPassedOnCutAndTheRestSkipped() {
        feed("12345");
        feed("67890123");
        feed("456\n9\n");

        assertThat(lines).containsExactly("12345678", "9");
    }

    @Test
    void bytesAreDecodedAsUtf8() {
        feed("é\n");

        assertThat(lines).containsExactly("é");
    }

    @Test
    void eachReadGivesOneBatchOfTheLinesItCompletesAndNoneIfItCompletesNone() {
        byte[] read = "1\n22\n33".getBytes(StandardCharsets.UTF_8);

        LineBatch batch = splitter.split(read, read.length);
        LineBatch none = splitter.split(new byte[] {'3'}, 1);
        LineBatch last = splitter.split(new byte[] {'\n'}, 1);

        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.line(0)).isEqualTo("1");
        assertThat(batch.line(1)).isEqualTo("22");
        assertThat(batch.bytes()).hasSize(3);
        assertThat(none).isNull();
        assertThat(last).isEqualTo(LineBatch.of("333"));
    }

    @Test
    void aLongLineGrowsTheBufferAndComesOutWhole() {
        LineSplitter roomy = new LineSplitter(100_000);
        byte[] line = ("9".repeat(50_000) + "\n").getBytes(StandardCharsets.UTF_8);

        LineBatch batch = roomy.split(line, line.length);

        assertThat(batch.line(0)).hasSize(50_000);
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        collect(splitter.split(bytes, bytes.length));
    }

    private void collect(LineBatch batch) {
        if (batch != null) {
            for (int i = 0; i < batch.size(); i++) {
                lines.add(batch.line(i));
            }
        }
    }
}
