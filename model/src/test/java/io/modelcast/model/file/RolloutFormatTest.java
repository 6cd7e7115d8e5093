package io.modelcast.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.rollout.Rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/** The rollout section of a challenger's model file: written, read back, and every way it can be wrong. */
class RolloutFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Rollout.Policy POLICY = new Rollout.Policy(5000, 0.02, 0.25);

    private final ModelFileCodec codec = new ModelFileCodec();

    @Test
    void aChallengerRoundTrips() throws Exception {
        ModelFile canary = ModelFile.create(7, Instant.parse("2026-12-04T10:00:00Z"), new CustomModel(true))
                .asChallenger(Rollout.canary(12.5, 6, POLICY));
        ModelFile decoded = codec.decode("model-7.json", codec.encode(canary));
        assertThat(decoded.rollout()).contains(Rollout.canary(12.5, 6, POLICY));
        assertThat(decoded.isChallenger()).isTrue();

        ModelFile shadow = ModelFile.create(8, Instant.parse("2026-12-04T10:00:00Z"), new CustomModel(true))
                .asChallenger(Rollout.shadow(6, POLICY));
        assertThat(codec.decode("model-8.json", codec.encode(shadow)).rollout()).contains(Rollout.shadow(6, POLICY));
    }

    @Test
    void evaluationBoundsRoundTripAndAFileWithoutThemHasNone() throws Exception {
        Rollout.Policy bounded = new Rollout.Policy(500, 0.01, 0.25, OptionalDouble.of(0.8), OptionalDouble.of(0.45));
        ModelFile canary = ModelFile.create(7, Instant.parse("2026-12-04T10:00:00Z"), new CustomModel(true))
                .asChallenger(Rollout.canary(10, 6, bounded));
        assertThat(codec.decode("model-7.json", codec.encode(canary)).rollout().orElseThrow().policy()).isEqualTo(bounded);

        ModelFile unbounded = ModelFile.create(8, Instant.parse("2026-12-04T10:00:00Z"), new CustomModel(true))
                .asChallenger(Rollout.canary(10, 6, POLICY));
        assertThat(new String(codec.encode(unbounded), StandardCharsets.UTF_8)).doesNotContain("minAuc").doesNotContain("maxLogLoss");
        assertThat(codec.decode("model-8.json", codec.encode(unbounded)).rollout().orElseThrow().policy().boundsEvaluation()).isFalse();
    }

    @Test
    void aFileWithoutARolloutIsAChampion() throws Exception {
        ModelFile champion = ModelFile.create(3, Instant.parse("2026-12-04T10:00:00Z"), new CustomModel(false));
        ModelFile decoded = codec.decode("model-3.json", codec.encode(champion));
        assertThat(decoded.isChallenger()).isFalse();
        assertThat(new String(codec.encode(champion), StandardCharsets.UTF_8)).doesNotContain("rollout");
    }

    @Test
    void aPromotedVersionIsAChampion() {
        ModelFile challenger = ModelFile.create(7, Instant.EPOCH, new CustomModel(true)).asChallenger(Rollout.shadow(6, POLICY));
        assertThat(ModelFile.promote(8, Instant.EPOCH, challenger).isChallenger()).isFalse();
    }

    @Test
    void everyBrokenRolloutIsRejectedWithWhatIsWrong() {
        assertRejected(r -> r.remove("policy"), "'rollout.policy' is missing");
        assertRejected(r -> ((ObjectNode) r.get("policy")).remove("maxScoreShift"), "needs 'maxScoreShift'");
        assertRejected(r -> ((ObjectNode) r.get("policy")).put("promoteAfter", 0), "promoteAfter must be at least 1");
        assertRejected(r -> r.put("percent", 140), "above 0 and at most 100");
        assertRejected(r -> r.put("percent", 0), "above 0 and at most 100");
        assertRejected(r -> r.remove("percent"), "needs 'percent'");
        assertRejected(r -> r.put("mode", "blue-green"), "\"shadow\" or \"canary\"");
        assertRejected(r -> r.put("role", "champion"), "must be \"challenger\"");
        assertRejected(r -> r.put("challenges", 7), "an earlier version");
        assertRejected(r -> r.remove("challenges"), "needs 'challenges'");
    }

    private void assertRejected(Consumer<ObjectNode> damage, String message) {
        ModelFile canary = ModelFile.create(7, Instant.EPOCH, new CustomModel(true)).asChallenger(Rollout.canary(10, 6, POLICY));
        assertThatThrownBy(() -> {
            ObjectNode root = (ObjectNode) JSON.readTree(codec.encode(canary));
            damage.accept((ObjectNode) root.get("rollout"));
            codec.decode("model-7.json", JSON.writeValueAsBytes(root));
        }).isInstanceOfSatisfying(ModelFileException.class, e -> {
            assertThat(e.reason()).isEqualTo(ModelFileException.Reason.INVALID_ROLLOUT);
            assertThat(e.getMessage()).contains(message).contains("model-7.json");
        });
    }
}
