package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;

class WholeModelFileFormatTest {

    @TempDir java.nio.file.Path dir;

    private final WholeModelFileFormat format = new WholeModelFileFormat(100);

    @Test
    void aFileIsOneRecordWithAllItsBytes() throws Exception {
        java.nio.file.Path file = Files.writeString(dir.resolve("model-1.json"), "{\"a\": 1}\n{\"b\": 2}\n");
        BulkFormat.Reader<ModelFileBytes> reader = format.createReader(new Configuration(), split(file));

        RecordAndPosition<ModelFileBytes> record = reader.readBatch().next();

        assertThat(record.getRecord().bytes).isEqualTo(Files.readAllBytes(file));
        assertThat(record.getRecord().readError).isNull();
        assertThat(record.getRecord().path).endsWith("model-1.json");
        assertThat(record.getRecordSkipCount()).isEqualTo(1);
        assertThat(reader.readBatch()).isNull();
    }

    @Test
    void readsAtMostOneByteMoreThanTheLimitWhateverTheFileSize() throws Exception {
        java.nio.file.Path file = Files.write(dir.resolve("model-1.json"), new byte[1_000_000]);

        ModelFileBytes record = format.createReader(new Configuration(), split(file)).readBatch().next().getRecord();

        assertThat(record.bytes).hasSize(101);
    }

    @Test
    void anEmptyFileIsAnEmptyRecordNotAFailure() throws Exception {
        java.nio.file.Path file = Files.write(dir.resolve("model-1.json"), new byte[0]);

        ModelFileBytes record = format.createReader(new Configuration(), split(file)).readBatch().next().getRecord();

        assertThat(record.bytes).isEmpty();
        assertThat(record.readError).isNull();
    }

    @Test
    void aFileThatDisappearedBeforeItWasReadIsARecordThatSaysSo() throws Exception {
        java.nio.file.Path file = Files.writeString(dir.resolve("model-1.json"), "{}");
        FileSourceSplit split = split(file);
        Files.delete(file);

        ModelFileBytes record = format.createReader(new Configuration(), split).readBatch().next().getRecord();

        assertThat(record.readError).contains("model-1.json");
        assertThat(record.bytes).isEmpty();
    }

    @Test
    void aRestoredSplitWhoseRecordWasReadYieldsNothing() throws Exception {
        java.nio.file.Path file = Files.writeString(dir.resolve("model-1.json"), "{}");
        FileSourceSplit read = split(file).updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 1));
        FileSourceSplit unread = split(file).updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 0));

        assertThat(format.restoreReader(new Configuration(), read).readBatch()).isNull();
        assertThat(format.restoreReader(new Configuration(), unread).readBatch()).isNotNull();
    }

    private static FileSourceSplit split(java.nio.file.Path file) throws Exception {
        long size = Files.size(file);
        return new FileSourceSplit("1", new Path(file.toUri()), 0, size, 0, size);
    }
}
