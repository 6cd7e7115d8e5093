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
 * held, to warn about files that make no sense rather than ignore them silently.
 *
 * <p>A listing yields the files named {@code model-<version>.json} above the highest version handed
 * out, newest first. Other names are warned about once per appearance; hidden names (starting with
 * {@code .} or {@code _}) and {@code model-current.json} are the fitter's own and are skipped.
 */
final class CandidateTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateTracker.class);

    /** A file found in the directory: its name and its path. */
    record Entry(String name, String path) {}

    private long highestHandedOut;
    /** The model versions and stray names of the previous listing; not checkpointed. */
    private Set<Long> previousVersions;
    private Set<String> previousStrays = Set.of();

    CandidateTracker(long highestHandedOut) {
        this.highestHandedOut = highestHandedOut;
    }

    long highestHandedOut() {
        return highestHandedOut;
    }

    /** The files of a listing to hand out, if there are new ones; remembers them as handed out. */
    Optional<ModelCandidatesSplit> onListing(List<Entry> entries) {
        Set<Long> versions = new HashSet<>();
        Set<String> strays = new HashSet<>();
        List<Candidate> fresh = new ArrayList<>();
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
            versions.add(version.getAsLong());
            if (version.getAsLong() > highestHandedOut) {
                fresh.add(new Candidate(version.getAsLong(), entry.path()));
            } else if (previousVersions != null && !previousVersions.contains(version.getAsLong())) {
                LOG.warn("Ignoring {}: version {} is not newer than version {}, already handed out; to use its"
                        + " parameters again, publish them under a new version (fitter promote {})",
                        name, version.getAsLong(), highestHandedOut, version.getAsLong());
            }
        }
        for (String stray : strays) {
            if (!previousStrays.contains(stray)) {
                LOG.warn("Ignoring {} in the model directory: model files are named model-<version>.json", stray);
            }
        }
        previousVersions = versions;
        previousStrays = strays;
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        ModelCandidatesSplit split = ModelCandidatesSplit.newestOf(fresh.stream());
        if (fresh.size() > split.candidates().size()) {
            LOG.info("{} new model files; offering the newest {} (from version {}), older ones are superseded",
                    fresh.size(), split.candidates().size(), split.newestVersion());
        }
        highestHandedOut = fresh.stream().mapToLong(Candidate::version).max().orElseThrow();
        return Optional.of(split);
    }
}
