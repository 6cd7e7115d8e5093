package io.modelcast.model.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Champion and challenger in one name's directory, as the fitter publishes them. */
class RolesTest {

    private static final Rollout.Policy POLICY = new Rollout.Policy(100, 0.01, 0.2);

    @TempDir Path dir;
    private final List<String> warnings = new ArrayList<>();

    @Test
    void aChallengerChallengesTheNewestChampionAndLeavesTheCurrentLinkAlone() throws Exception {
        ModelDirectory models = ModelDirectory.open(dir);
        models.publish(newest -> new CustomModel(true), warnings::add);
        ModelFile challenger = models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("canary:10"),
                POLICY, warnings::add);

        assertThat(challenger.version()).isEqualTo(2);
        assertThat(challenger.rollout()).contains(Rollout.canary(10, 1, POLICY));
        assertThat(Files.readSymbolicLink(dir.resolve(ModelDirectory.CURRENT_LINK_NAME))).hasToString("model-1.json");
        ModelDirectory.Roles roles = models.roles(warnings::add);
        assertThat(roles.champion().orElseThrow().version()).isEqualTo(1);
        assertThat(roles.challenger().orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aChallengerNeedsAChampion() throws Exception {
        ModelDirectory models = ModelDirectory.open(dir);
        assertThatThrownBy(() -> models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                POLICY, warnings::add)).hasMessageContaining("no champion is published");
        assertThat(models.list()).isEmpty();
    }

    @Test
    void aSecondChallengerIsRefusedUntilTheFirstIsPromotedOrRetired() throws Exception {
        ModelDirectory models = ModelDirectory.open(dir);
        models.publish(newest -> new CustomModel(true), warnings::add);
        models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"), POLICY, warnings::add);

        assertThatThrownBy(() -> models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"),
                POLICY, warnings::add)).hasMessageContaining("version 2").hasMessageContaining("already challenging");

        ModelFile promoted = models.promote(2, warnings::add);
        assertThat(promoted.isChallenger()).isFalse();
        ModelDirectory.Roles roles = models.roles(warnings::add);
        assertThat(roles.champion().orElseThrow().version()).isEqualTo(3);
        assertThat(roles.challenger()).isEmpty();
        assertThat(models.publishChallenger(newest -> new CustomModel(true), RolloutSpec.parse("shadow"), POLICY,
                warnings::add).rollout().orElseThrow().challenges()).isEqualTo(3);
    }

    @Test
    void aRolloutEndsOnceWhoeverDecides() throws Exception {
        ModelDirectory models = ModelDirectory.open(dir);
        models.publish(newest -> new CustomModel(true), warnings::add); // 1
        models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"), POLICY, warnings::add); // 2

        ModelFile retired = models.endRollout(2, false, warnings::add);

        assertThat(retired.version()).isEqualTo(3);
        assertThat(retired.promotedFrom()).hasValue(1);
        assertThatThrownBy(() -> models.endRollout(2, true, warnings::add))
                .hasMessageContaining("challenger version 2 is not running").hasMessageContaining("no challenger is");
        assertThat(models.list()).hasSize(3);
    }

    @Test
    void rollbackGoesBackToTheChampionBeforeNeverToAChallenger() throws Exception {
        ModelDirectory models = ModelDirectory.open(dir);
        models.publish(newest -> new CustomModel(true), warnings::add); // 1
        models.publishChallenger(newest -> new CustomModel(false), RolloutSpec.parse("shadow"), POLICY, warnings::add); // 2
        models.publish(newest -> new CustomModel(false), warnings::add); // 3, ends the rollout

        ModelFile rolledBack = models.rollback(warnings::add);

        assertThat(rolledBack.promotedFrom()).hasValue(1);
    }

    @Test
    void aRepositoryHoldsTheFlatDefaultAndOneDirectoryPerName() throws Exception {
        ModelRepository repository = ModelRepository.open(dir);
        repository.directory("default").publish(newest -> new CustomModel(true), warnings::add);
        repository.directory("fraud-v2").publish(newest -> new CustomModel(false), warnings::add);
        Files.createDirectories(dir.resolve("Not_A_Name"));

        List<String> ignored = new ArrayList<>();
        assertThat(repository.names(ignored::add)).containsExactly("default", "fraud-v2");
        assertThat(ignored).singleElement().asString().contains("Not_A_Name").contains("is not a model name");
        assertThat(dir.resolve("model-1.json")).exists();
        assertThat(dir.resolve("fraud-v2/model-1.json")).exists();
        assertThatThrownBy(() -> repository.directory("Fraud")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a model name");
    }
}
