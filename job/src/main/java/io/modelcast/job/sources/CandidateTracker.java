package io.modelcast.job.sources;

import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;
import io.modelcast.model.repository.ModelDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the model directory watch remembers: the highest version it has handed out — one number,
 * however many versions are published — and, between two listings only, what the last listing
 * held, to tell files that appeared since from files that were there all along.
 *
 * <p>A listing yields the files named {@code model-<version>.json} above the highest version handed
 * out (fresh), and files of older versions that were not in the previous listing (reappeared: an
 * old file copied back, say), which the loader rejects with a reason rather than have them ignored
 * silently. A directory listing is no snapshot: a file renamed into place while the directory is
 * being listed may be missed while a newer one is seen, and show up only in the next listing. Such
 * a file — newer than everything handed out before the previous listing — was superseded, not
 * copied back: it is logged, not reported. Other names get one WARN line each time they appear; hidden names (starting with
 * {@code .} or {@code _}) and {@code model-current.json} are the fitter's own and are skipped.
 * Not thread-safe: the enumerator calls it from its coordinator thread only.
 */
final class CandidateTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateTracker.class);

    /** A file found in the directory: its name and its path. */
    record Entry(String name, String path) {}

    /** What a listing found to hand out. */
    record Offer(List<Candidate> reappeared, List<Candidate> fresh) {}

    private long highestHandedOut;
    /** The highest version handed out before the previous listing; not checkpointed. */
    private long highestBeforePreviousListing;
    /** The model versions and stray names of the previous listing; null before the first. Not checkpointed. */
    private Set<Long> previousVersions;
    private Set<String> previousStrays = Set.of();

    CandidateTracker(long highestHandedOut) {
        this.highestHandedOut = highestHandedOut;
        this.highestBeforePreviousListing = highestHandedOut;
    }

    long highestHandedOut() {
        return highestHandedOut;
    }

    /** The files of a listing to hand out, if there are any; remembers the fresh ones as handed out. */
    Optional<Offer> onListing(List<Entry> entries) {
        Set<Long> versions = new HashSet<>();
        Set<String> strays = new HashSet<>();
        List<Candidate> fresh = new ArrayList<>();
        List<Candidate> reappeared = new ArrayList<>();
        for (Entry entry : entries) {
            String name = entry.name();
            if (name.startsWith(".") || name.startsWith("_") || name.equals(ModelDirectory.CURRENT_LINK_NAME)) {
                continue;
            }
            OptionalLong version = ModelDirectory.versionOf(name);
            if (version.isEmpty()) {
                strays.add(name);
                continue;
            }
            long v = version.getAsLong();
            versions.add(v);
            if (v > highestHandedOut) {
                fresh.add(new Candidate(v, entry.path()));
            } else if (previousVersions != null && !previousVersions.contains(v)) {
                if (v > highestBeforePreviousListing) {
                    LOG.info("Not reading {}: it appeared only after version {} was handed out, which supersedes it",
                            name, highestHandedOut);
                } else {
                    reappeared.add(new Candidate(v, entry.path()));
                }
            }
        }
        for (String stray : strays) {
            if (!previousStrays.contains(stray)) {
                LOG.warn("Ignoring {} in the model directory: model files are named model-<version>.json", stray);
            }
        }
        if (previousVersions == null && highestHandedOut > 0 && fresh.isEmpty()) {
            long highestListed = versions.stream().mapToLong(Long::longValue).max().orElse(0);
            if (highestListed < highestHandedOut) {
                LOG.warn("The model directory holds no version above {}, but version {} was already handed out"
                                + " (per the job's state): was it emptied, or is --models another directory? Only"
                                + " versions above {} will be read", highestListed, highestHandedOut, highestHandedOut);
            }
        }
        previousVersions = versions;
        previousStrays = strays;
        highestBeforePreviousListing = highestHandedOut;
        highestHandedOut = Math.max(highestHandedOut, fresh.stream().mapToLong(Candidate::version).max().orElse(0));
        if (reappeared.size() > ModelCandidatesSplit.MAX_CANDIDATES) {
            LOG.warn("{} files of old versions appeared in the model directory; reporting the first {} as rejected,"
                    + " ignoring the others", reappeared.size(), ModelCandidatesSplit.MAX_CANDIDATES);
        }
        if (fresh.size() > ModelCandidatesSplit.MAX_CANDIDATES) {
            LOG.info("{} new model files; offering the newest {}, older ones are superseded",
                    fresh.size(), ModelCandidatesSplit.MAX_CANDIDATES);
        }
        if (fresh.isEmpty() && reappeared.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Offer(reappeared, fresh));
    }
}
