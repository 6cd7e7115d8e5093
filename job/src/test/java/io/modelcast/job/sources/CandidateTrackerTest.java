package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.sources.CandidateTracker.Entry;
import io.modelcast.job.sources.CandidateTracker.Offer;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

class CandidateTrackerTest {

    @Test
    void newVersionsAreHandedOutOnlyOnce() {
        CandidateTracker tracker = new CandidateTracker(0);

        assertThat(fresh(tracker.onListing(files(1, 2, 3)))).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(tracker.onListing(files(1, 2, 3))).isEmpty();
        assertThat(fresh(tracker.onListing(files(1, 2, 3, 4)))).containsExactly(4L);
        assertThat(tracker.highestHandedOut()).isEqualTo(4);
    }

    @Test
    void tenThousandFilesAtOnceBecomeOneSplitOfTheNewestFew() {
        CandidateTracker tracker = new CandidateTracker(0);

        Offer offer = tracker.onListing(files(LongStream.rangeClosed(1, 10_000).toArray())).orElseThrow();
        ModelCandidatesSplit split = ModelCandidatesSplit.of("s", offer.reappeared(), offer.fresh());

        assertThat(split.fresh()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        assertThat(split.newestVersion()).isEqualTo(10_000);
        assertThat(split.fresh()).extracting(Candidate::version).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(tracker.highestHandedOut()).isEqualTo(10_000);
    }

    @Test
    void aRestoredTrackerHandsOutOnlyVersionsAboveTheOneItRemembers() {
        CandidateTracker restored = new CandidateTracker(7);

        assertThat(restored.onListing(files(5, 6, 7))).isEmpty();
        assertThat(fresh(restored.onListing(files(5, 6, 7, 8)))).containsExactly(8L);
    }

    @Test
    void theFittersOwnFilesAndOtherNamesAreNeverCandidates() {
        CandidateTracker tracker = new CandidateTracker(0);
        List<Entry> entries = new ArrayList<>(files(2));
        for (String name : List.of(".model-3.json.tmp", "_model-4.json", "model-current.json", "model-5.json.bak",
                "notes.txt", "model-x.json", "model-6.JSON")) {
            entries.add(new Entry(name, "/models/" + name));
        }

        Offer offer = tracker.onListing(entries).orElseThrow();

        assertThat(offer.fresh()).extracting(Candidate::version).containsExactly(2L);
        assertThat(offer.reappeared()).isEmpty();
    }

    @Test
    void anOldVersionThatAppearsLaterIsHandedOutToBeRejectedButNotTheOnesThereAllAlong() {
        CandidateTracker tracker = new CandidateTracker(0);
        tracker.onListing(files(2, 5));
        tracker.onListing(files(2, 5));

        Offer offer = tracker.onListing(files(2, 3, 5)).orElseThrow();

        assertThat(offer.reappeared()).extracting(Candidate::version).containsExactly(3L);
        assertThat(offer.fresh()).isEmpty();
        assertThat(tracker.highestHandedOut()).isEqualTo(5);
        assertThat(tracker.onListing(files(2, 3, 5))).isEmpty();
    }

    @Test
    void filesMissedByAListingThatRacedWithTheirRenameAreSupersededNotReappeared() {
        CandidateTracker tracker = new CandidateTracker(0);
        tracker.onListing(files(1));
        // Versions 2..5 were renamed into place while the directory was listed: 3 and 4 were missed.
        assertThat(fresh(tracker.onListing(files(1, 2, 5)))).containsExactlyInAnyOrder(2L, 5L);

        assertThat(tracker.onListing(files(1, 2, 3, 4, 5))).as("superseded by 5, and not copied back").isEmpty();
    }

    @Test
    void afterARestoreTheFilesOfTheFirstListingAreNotTakenForReappearedOnes() {
        CandidateTracker restored = new CandidateTracker(5);

        assertThat(restored.onListing(files(1, 2, 3, 4, 5))).isEmpty();
        assertThat(restored.onListing(files(1, 2, 3))).isEmpty();
    }

    static List<Entry> files(long... versions) {
        return LongStream.of(versions).mapToObj(v -> new Entry("model-" + v + ".json", "/models/model-" + v + ".json")).toList();
    }

    private static List<Long> fresh(Optional<Offer> offer) {
        return offer.orElseThrow().fresh().stream().map(Candidate::version).toList();
    }
}
