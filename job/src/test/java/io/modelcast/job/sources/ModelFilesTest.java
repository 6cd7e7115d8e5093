package io.modelcast.job.sources;

import static io.modelcast.job.TestModels.fileBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.BadModelFile;
import io.modelcast.job.models.ModelValidator;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        assertThat(new ModelValidator(4096).validate(read))
                .isEqualTo(new ModelValidator.Rejected("UNREADABLE", "model file " + read.path + " cannot be read: " + read.readError));
    }

    @Test
    void theNewestValidCandidateIsReadAfterTheInvalidNewerOnesAndOlderOnesAreNot() throws IOException {
        Candidate gone = candidate(5); // listed, then deleted before it was read
        Candidate corrupt = candidate(4);
        write(4, BadModelFile.TRUNCATED.bytes(4));
        Candidate valid = candidate(3);
        write(3, fileBytes(3, false));
        Candidate older = candidate(2);
        write(2, fileBytes(2, true));

        List<ModelFileBytes> read = ModelFiles.newestValid(List.of(gone, corrupt, valid, older), new ModelValidator(4096), 4096);

        assertThat(read).extracting(f -> f.path).containsExactly(gone.path(), corrupt.path(), valid.path());
        assertThat(read.get(0).readError).isNotNull();
        assertThat(read.get(2).bytes).isEqualTo(fileBytes(3, false));
    }

    @Test
    void whenNoCandidateIsValidAllAreReadAndReturnedForRejection() throws IOException {
        write(2, BadModelFile.ZERO_BYTES.bytes(2));
        write(1, BadModelFile.CHECKSUM_MISMATCH.bytes(1));

        assertThat(ModelFiles.newestValid(List.of(candidate(2), candidate(1)), new ModelValidator(4096), 4096)).hasSize(2);
    }

    private Candidate candidate(long version) {
        return new Candidate(version, models.resolve("model-" + version + ".json").toString());
    }

    private Path write(long version, byte[] content) throws IOException {
        return Files.write(models.resolve("model-" + version + ".json"), content);
    }
}
