package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

class ModelDirectoryStateTest {

    private static final String DIR = "s3://a-bucket-with-a-long-name/and/a/deep/prefix/for/the/models/of/this/job/";

    @Test
    void theStateSurvivesSerialization() throws IOException {
        ModelDirectoryState.Serializer serializer = new ModelDirectoryState.Serializer();
        ModelDirectoryState state = new ModelDirectoryState(10_000, 42, Optional.of(split("models-41", 9_990, 10_000)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(ModelDirectoryState.INITIAL)))
                .isEqualTo(ModelDirectoryState.INITIAL);
    }

    @Test
    void theStateIsBoundedHoweverManyVersionsWereOffered() throws IOException {
        ModelCandidatesSplit offered = split("a", 1, 5_000).merge(split("b", 5_001, 1_000_000));
        byte[] serialized = new ModelDirectoryState.Serializer()
                .serialize(new ModelDirectoryState(1_000_000, 2, Optional.of(offered)));

        assertThat(offered.splitId()).isEqualTo("b");
        assertThat(offered.fresh()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        assertThat(offered.reappeared()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        assertThat(offered.newestVersion()).isEqualTo(1_000_000);
        assertThat(serialized.length).isLessThan(8 * 1024);
    }

    @Test
    void aSplitSurvivesSerialization() throws IOException {
        ModelCandidatesSplit.Serializer serializer = new ModelCandidatesSplit.Serializer();
        ModelCandidatesSplit split = split("models-3", 1, 3);

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
    }

    /** A split of fresh versions {@code from..to} that also reports the same number of reappeared ones. */
    private static ModelCandidatesSplit split(String id, long from, long to) {
        List<Candidate> candidates = LongStream.rangeClosed(from, to)
                .mapToObj(v -> new Candidate(v, DIR + "model-" + v + ".json")).toList();
        return ModelCandidatesSplit.of(id, candidates, candidates);
    }
}
