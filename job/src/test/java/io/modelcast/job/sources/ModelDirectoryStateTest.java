package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;
import java.util.stream.LongStream;

class ModelDirectoryStateTest {

    private static final String DIR = "s3://a-bucket-with-a-long-name/and/a/deep/prefix/for/the/models/of/this/job/";

    @Test
    void theStateSurvivesSerialization() throws IOException {
        ModelDirectoryState.Serializer serializer = new ModelDirectoryState.Serializer();
        ModelDirectoryState state = new ModelDirectoryState(10_000, Optional.of(split(9_990, 10_000)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(ModelDirectoryState.INITIAL)))
                .isEqualTo(ModelDirectoryState.INITIAL);
    }

    @Test
    void theStateIsBoundedHoweverManyVersionsWereOffered() throws IOException {
        ModelCandidatesSplit offered = split(1, 5_000).merge(split(5_001, 1_000_000));
        byte[] serialized = new ModelDirectoryState.Serializer()
                .serialize(new ModelDirectoryState(1_000_000, Optional.of(offered)));

        assertThat(offered.candidates()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        assertThat(offered.newestVersion()).isEqualTo(1_000_000);
        assertThat(serialized.length).isLessThan(4 * 1024);
    }

    @Test
    void aSplitSurvivesSerialization() throws IOException {
        ModelCandidatesSplit.Serializer serializer = new ModelCandidatesSplit.Serializer();
        ModelCandidatesSplit split = split(1, 3);

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
    }

    private static ModelCandidatesSplit split(long from, long to) {
        return ModelCandidatesSplit.newestOf(LongStream.rangeClosed(from, to)
                .mapToObj(v -> new Candidate(v, DIR + "model-" + v + ".json")));
    }
}
