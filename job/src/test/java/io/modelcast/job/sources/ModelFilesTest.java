package io.modelcast.job.sources;

import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.job.records.ModelFileBytes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

class ModelFilesTest {

    @TempDir
    Path models;

    @Test
    void aFileIsReadWholeThroughFlinksFileSystems() throws IOException {
        Path file = write(3, fileBytes(3, true));

        ModelFileBytes read = ModelFiles.read(file.toUri().toString(), 4096);

        assertThat(read.readError).isNull();
        assertThat(read.bytes).isEqualTo(fileBytes(3, true));
    }

    @Test
    void aFileOverTheLimitIsReadOnlyOneBytePastIt() throws IOException {
        Path file = write(3, new byte[10_000]);

        assertThat(ModelFiles.read(file.toString(), 100).bytes).hasSize(101);
    }

    @Test
    void aFileThatDisappearedAfterTheListingIsARecordSayingSoNotAnException() {
        ModelFileBytes read = ModelFiles.read(models.resolve("model-9.json").toString(), 4096);

        assertThat(read.readError).contains("model-9.json");
        assertThat(new ModelValidator(4096, InputFormat.INT).validate(read))
                .isEqualTo(new ModelValidator.Rejected("UNREADABLE", "model file " + read.path + " cannot be read: " + read.readError,
                        OptionalLong.empty()));
    }

    private Path write(long version, byte[] content) throws IOException {
        return Files.write(models.resolve("model-" + version + ".json"), content);
    }
}
