package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.sources.CandidateTracker.Entry;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

class CandidateTrackerTest {

    @Test
    void newVersionsAreHandedOutNewestFirstAndOnlyOnce() {
        CandidateTracker tracker = new CandidateTracker(0);

        assertThat(tracker.onListing(files(1, 2, 3))).get().extracting(CandidateTrackerTest::versions)
                .isEqualTo(List.of(3L, 2L, 1L));
        assertThat(tracker.onListing(files(1, 2, 3))).isEmpty();
        assertThat(tracker.onListing(files(1, 2, 3, 4))).get().extracting(CandidateTrackerTest::versions)
                .isEqualTo(List.of(4L));
        assertThat(tracker.highestHandedOut()).isEqualTo(4);
    }

    @Test
    void tenThousandFilesAtOnceGiveOneSplitOfTheNewestFew() {
        CandidateTracker tracker = new CandidateTracker(0);

        ModelCandidatesSplit split = tracker.onListing(files(LongStream.rangeClosed(1, 10_000).toArray())).orElseThrow();

        assertThat(split.candidates()).hasSize(ModelCandidatesSplit.MAX_CANDIDATES);
        assertThat(split.newestVersion()).isEqualTo(10_000);
        assertThat(versions(split)).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(tracker.highestHandedOut()).isEqualTo(10_000);
    }

    @Test
    void aRestoredTrackerHandsOutOnlyVersionsAboveTheOneItRemembers() {
        CandidateTracker restored = new CandidateTracker(7);

        assertThat(restored.onListing(files(5, 6, 7))).isEmpty();
        assertThat(restored.onListing(files(5, 6, 7, 8))).get().extracting(CandidateTrackerTest::versions)
                .isEqualTo(List.of(8L));
    }

    @Test
    void theFittersOwnFilesAndOtherNamesAreNeverCandidates() {
        CandidateTracker tracker = new CandidateTracker(0);
        List<Entry> entries = new ArrayList<>(files(2));
        for (String name : List.of(".model-3.json.tmp", "_model-4.json", "model-current.json", "model-5.json.bak",
                "notes.txt", "model-x.json", "model-6.JSON")) {
            entries.add(new Entry(name, "/models/" + name));
        }

        assertThat(tracker.onListing(entries)).get().extracting(CandidateTrackerTest::versions).isEqualTo(List.of(2L));
    }

    @Test
    void anOldVersionAppearingLaterIsNotHandedOut() {
        CandidateTracker tracker = new CandidateTracker(0);
        tracker.onListing(files(5));

        // model-3.json copied in after version 5 was handed out: too old, logged and ignored.
        assertThat(tracker.onListing(files(3, 5))).isEmpty();
        assertThat(tracker.highestHandedOut()).isEqualTo(5);
    }

    static List<Entry> files(long... versions) {
        return LongStream.of(versions).mapToObj(v -> new Entry("model-" + v + ".json", "/models/model-" + v + ".json")).toList();
    }

    static List<Long> versions(ModelCandidatesSplit split) {
        return split.candidates().stream().map(Candidate::version).toList();
    }
}
