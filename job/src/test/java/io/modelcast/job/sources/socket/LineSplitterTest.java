package io.modelcast.job.sources.socket;

import static org.assertj.core.api.Assertions.assertThat;

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
        splitter.finish(lines);

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

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.split(bytes, bytes.length, lines);
    }
}
