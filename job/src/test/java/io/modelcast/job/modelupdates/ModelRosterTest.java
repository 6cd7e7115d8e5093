package io.modelcast.job.modelupdates;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.model.rollout.Rollout;

import org.junit.jupiter.api.Test;

import java.util.Optional;

/** The loader's rules for names and challengers. */
class ModelRosterTest {

    private static final Rollout.Policy POLICY = new Rollout.Policy(100, 0.01, 0.2);

    @Test
    void versionsCountPerName() {
        ModelRoster roster = new ModelRoster(10);
        roster.accepted("default", 5, false, Optional.empty());
        assertThat(roster.check("fraud", 1, Optional.empty())).isEmpty();
        assertThat(roster.check("default", 5, Optional.empty())).get()
                .extracting(ModelRoster.Refusal::reason).isEqualTo(ModelRoster.NOT_NEWER);
    }

    @Test
    void aNewNameBeyondTheLimitIsRefusedButKnownNamesGoOn() {
        ModelRoster roster = new ModelRoster(2);
        roster.accepted("a", 1, false, Optional.empty());
        roster.accepted("b", 1, false, Optional.empty());
        assertThat(roster.check("c", 1, Optional.empty())).get()
                .extracting(ModelRoster.Refusal::reason).isEqualTo(ModelRoster.TOO_MANY_MODELS);
        assertThat(roster.check("a", 2, Optional.empty())).isEmpty();
    }

    @Test
    void aChallengerLocalOrRemoteNeedsItsChampionAloneAndLocal() {
        ModelRoster roster = new ModelRoster(10);
        roster.accepted("default", 3, false, Optional.empty());
        Optional<Rollout> of3 = Optional.of(Rollout.shadow(3, POLICY));
        assertThat(roster.check("default", 4, of3)).isEmpty();
        assertThat(roster.championNeeded("default", of3.get())).isEmpty();
        roster.accepted("default", 4, false, of3);

        assertThat(roster.check("default", 5, Optional.of(Rollout.canary(5, 3, POLICY)))).get()
                .extracting(ModelRoster.Refusal::reason).isEqualTo(ModelRoster.CHALLENGER_ACTIVE);
        roster.accepted("default", 6, false, Optional.empty());
        assertThat(roster.standing("default")).isEqualTo(new ModelRoster.Standing(6, 6, 0, false));
        assertThat(roster.check("default", 7, of3)).get()
                .extracting(ModelRoster.Refusal::reason).isEqualTo(ModelRoster.STALE_CHALLENGER);
        assertThat(roster.championNeeded("default", Rollout.shadow(9, POLICY))).contains(9L);
    }

    @Test
    void aRemoteChampionTakesNoChallenger() {
        ModelRoster roster = new ModelRoster(10);
        roster.accepted("default", 2, true, Optional.empty());
        assertThat(roster.check("default", 3, Optional.of(Rollout.shadow(2, POLICY)))).get()
                .extracting(ModelRoster.Refusal::reason).isEqualTo(ModelRoster.CHALLENGER_UNSUPPORTED);
    }

    @Test
    void theRosterSurvivesItsSnapshotAndAnOldBuildsNumberIsTheDefaultChampion() {
        ModelRoster roster = new ModelRoster(10);
        roster.accepted("default", 3, false, Optional.empty());
        roster.accepted("default", 4, false, Optional.of(Rollout.shadow(3, POLICY)));
        roster.accepted("fraud", 2, true, Optional.empty());
        ModelRoster restored = new ModelRoster(10);
        roster.snapshot().forEach(restored::restore);
        assertThat(restored.standing("default")).isEqualTo(roster.standing("default"));
        assertThat(restored.standing("fraud")).isEqualTo(new ModelRoster.Standing(2, 2, 0, true));

        ModelRoster upgraded = new ModelRoster(10);
        upgraded.restoreDefault("default", 7);
        assertThat(upgraded.standing("default")).isEqualTo(new ModelRoster.Standing(7, 7, 0, false));
    }
}
