package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Paths;

class ModelFileEnumeratorTest {

    @TempDir java.nio.file.Path dir;

    @Test
    void listsEveryVisibleFileButTheCurrentLinkAndSubdirectories() throws Exception {
        Files.writeString(dir.resolve("model-1.json"), "{}");
        Files.writeString(dir.resolve("model-2.json"), "{}");
        Files.writeString(dir.resolve("stray.txt"), "?");
        Files.writeString(dir.resolve(".model-3.json.tmp"), "{}");
        Files.writeString(dir.resolve("_SUCCESS"), "");
        Files.createSymbolicLink(dir.resolve("model-current.json"), Paths.get("model-2.json"));
        Files.createDirectory(dir.resolve("archive"));
        Files.writeString(dir.resolve("archive/model-0.json"), "{}");

        assertThat(new ModelFileEnumerator().enumerateSplits(new Path[] {new Path(dir.toUri())}, 1))
                .extracting(FileSourceSplit::path)
                .extracting(Path::getName)
                .containsExactlyInAnyOrder("model-1.json", "model-2.json", "stray.txt");
    }

    @Test
    void splitsAreIdentifiedByPathAndCoverTheWholeFile() throws Exception {
        Files.writeString(dir.resolve("model-1.json"), "{\"x\": 1}");

        FileSourceSplit split = new ModelFileEnumerator().enumerateSplits(new Path[] {new Path(dir.toUri())}, 1).iterator().next();

        assertThat(split.splitId()).isEqualTo(split.path().toString());
        assertThat(split.length()).isEqualTo(8);
    }

    @Test
    void aMissingDirectoryYieldsNoFilesRatherThanAFailure() throws Exception {
        assertThat(new ModelFileEnumerator().enumerateSplits(new Path[] {new Path(dir.resolve("gone").toUri())}, 1))
                .isEmpty();
    }
}
