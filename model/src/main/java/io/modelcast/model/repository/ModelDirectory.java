package io.modelcast.model.repository;

import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The published versions of one model name, and the only code that publishes one: kept in a
 * directory ({@link #open}), or in another {@link VersionStore} — the fitter's Kafka topic — with the
 * same rules ({@link #on}). What follows describes a directory.
 *
 * <p>Layout: {@code model-<version>.json} per published version; {@code model-current.json}, a
 * symbolic link to the newest, for people and the fitter's debug command (the job never reads it);
 * hidden bookkeeping files whose names start with {@code .}, which the job's directory watch skips.
 *
 * <p>Publishing writes a hidden temporary file and renames it into place atomically, so a reader
 * sees either no file or the whole file. Versions never repeat: the next version is one more than
 * both the highest version present and the highest ever published here (remembered in a hidden
 * file, so deleting old models does not bring their numbers back), and it is chosen under an
 * exclusive lock on a lock file, so concurrent publishers — threads or processes — each get their
 * own. Limits: the lock is an advisory {@link FileLock}, which needs a local file system (or one
 * whose locks work across hosts); symbolic links need a POSIX file system.
 */
public final class ModelDirectory {

    /** The name of the symbolic link to the newest published model. */
    public static final String CURRENT_LINK_NAME = "model-current.json";

    static final String LOCK_FILE_NAME = ".modelcast.lock";
    static final String LAST_VERSION_FILE_NAME = ".modelcast-last-version";

    private static final Pattern MODEL_FILE_NAME = Pattern.compile("model-([0-9]{1,18})\\.json");


    private final VersionStore store;
    private final ModelFileCodec codec;
    private final Clock clock;

    private ModelDirectory(VersionStore store, ModelFileCodec codec, Clock clock) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * Opens an existing model directory.
     *
     * @throws NoSuchFileException if {@code dir} does not exist or is not a directory
     */
    public static ModelDirectory open(Path dir, ModelFileCodec codec, Clock clock)
            throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(
                    dir.toString(), null, "models directory does not exist (create it first)");
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        Path normalized = dir.toAbsolutePath().normalize();
        return new ModelDirectory(new DirectoryVersions(normalized), codec, clock);
    }

    /** Opens an existing model directory with the default codec and the system clock. */
    public static ModelDirectory open(Path dir) throws IOException {
        return open(dir, new ModelFileCodec(), Clock.systemUTC());
    }

    /**
     * A model name's versions kept elsewhere — a Kafka topic, say — published and read with the same
     * rules. The directory-only operations ({@link #list}, {@link #path}, {@link #keepNewest}) refuse.
     */
    public static ModelDirectory on(VersionStore store, ModelFileCodec codec, Clock clock) {
        return new ModelDirectory(store, codec, clock);
    }

    /** The version a published model file's name carries, if it is such a name. */
    public static OptionalLong versionOf(String fileName) {
        Matcher matcher = MODEL_FILE_NAME.matcher(fileName);
        return matcher.matches()
                ? OptionalLong.of(Long.parseLong(matcher.group(1)))
                : OptionalLong.empty();
    }

    /** The file name under which a version is published. */
    public static String fileName(long version) {
        return "model-" + version + ".json";
    }

    /** The directory. */
    public Path path() {
        return directory().path();
    }

    /** Where the versions are, for messages. */
    public String describe() {
        return store.describe();
    }

    /** The published versions, newest first: listed, not read. */
    public List<Long> versions() throws IOException {
        return store.versions();
    }

    /** A published model file: its version, from its name, and its path. */
    public record PublishedFile(long version, Path path) {}

    /** The published model files, newest version first. Files are listed, not read. */
    public List<PublishedFile> list() throws IOException {
        return directory().list();
    }

    private DirectoryVersions directory() {
        if (!(store instanceof DirectoryVersions files)) {
            throw new UnsupportedOperationException(store.describe() + " is not a directory");
        }
        return files;
    }

    /**
     * The newest published model that can be read.
     *
     * @param onInvalid told about every newer file that could not be used
     */
    public Optional<ModelFile> newestValid(Consumer<ModelFileException> onInvalid)
            throws IOException {
        for (long version : store.versions()) {
            try {
                return Optional.of(store.read(version, codec));
            } catch (ModelFileException e) {
                onInvalid.accept(e);
            } catch (NoSuchFileException e) {
                // Deleted since it was listed.
            }
        }
        return Optional.empty();
    }

    /**
     * The champion and the active challenger: the newest valid champion file, and the newest valid
     * file if it is a challenger (a champion published after a challenger ends its rollout).
     * Both models are the caller's to close.
     */
    public record Roles(Optional<ModelFile> champion, Optional<ModelFile> challenger) {}

    /** Reads the {@link Roles}, newest file first, skipping (and telling) unreadable files. */
    public Roles roles(Consumer<String> warnings) throws IOException {
        Optional<ModelFile> challenger = Optional.empty();
        for (long version : store.versions()) {
            ModelFile read;
            try {
                read = store.read(version, codec);
            } catch (ModelFileException e) {
                warnings.accept("skipped " + e.getMessage());
                continue;
            } catch (NoSuchFileException e) {
                continue;
            }
            if (!read.isChallenger()) {
                return new Roles(Optional.of(read), challenger);
            }
            if (challenger.isEmpty()) {
                challenger = Optional.of(read);
            } else {
                read.model().close();
            }
        }
        return new Roles(Optional.empty(), challenger);
    }

    /**
     * The model {@code model-current.json} points to, or, if there is no such link, the newest
     * valid one.
     *
     * @throws ModelFileException if the link exists but its target cannot be used
     */
    public Optional<ModelFile> current(Consumer<ModelFileException> onInvalid)
            throws IOException, ModelFileException {
        Optional<Path> link = store instanceof DirectoryVersions files ? files.currentLink() : Optional.empty();
        if (link.isPresent()) {
            return Optional.of(codec.read(link.get()));
        }
        return newestValid(onInvalid);
    }

    /** Computes the model to publish from the newest valid published one (if any). */
    @FunctionalInterface
    public interface NextModel {
        Model from(Optional<ModelFile> newest) throws IOException;
    }

    /**
     * Publishes a new version: under the directory lock, asks {@code next} for the model given
     * the newest valid published one, writes it as {@code model-<version>.json} atomically and
     * repoints {@code model-current.json}.
     *
     * @param warnings told, in words, about published files skipped as unreadable and about a
     *     {@code model-current.json} link that could not be updated (the model is published
     *     anyway: the job does not use the link)
     * @return the published file; its model is the one {@code next} returned, and the caller's
     *     to close. The newest model read for {@code next} is closed here (unless {@code next}
     *     returned it): an ONNX model holds a native session until closed.
     */
    public ModelFile publish(NextModel next, Consumer<String> warnings) throws IOException {
        return publish(next, Optional.empty(), TrainingFacts.none(), warnings);
    }

    /** As {@link #publish(NextModel, Consumer)}, with what the model's training knew (its data's profile, its feature spec). */
    public ModelFile publish(NextModel next, TrainingFacts training, Consumer<String> warnings) throws IOException {
        return publish(next, Optional.empty(), training, warnings);
    }

    /**
     * Publishes a new version as a challenger of the current champion, rolled out as {@code
     * rollout} says, as {@link #publish} does otherwise ({@code next} is given the champion).
     *
     * @throws IOException if there is no champion to challenge, or a challenger is already active
     *     (promote or retire it first: a name has at most one)
     */
    public ModelFile publishChallenger(NextModel next, RolloutSpec rollout, Rollout.Policy policy, Consumer<String> warnings)
            throws IOException {
        return publish(next, Optional.of(new ChallengerRequest(rollout, policy)), TrainingFacts.none(), warnings);
    }

    /** As {@link #publishChallenger(NextModel, RolloutSpec, Rollout.Policy, Consumer)}, with what the model's training knew (its data's profile, its feature spec). */
    public ModelFile publishChallenger(NextModel next, RolloutSpec rollout, Rollout.Policy policy, TrainingFacts training,
            Consumer<String> warnings) throws IOException {
        return publish(next, Optional.of(new ChallengerRequest(rollout, policy)), training, warnings);
    }

    private record ChallengerRequest(RolloutSpec rollout, Rollout.Policy policy) {}

    private ModelFile publish(NextModel next, Optional<ChallengerRequest> challenger, TrainingFacts training,
            Consumer<String> warnings) throws IOException {
        return store.withLock(() -> {
            Roles roles = roles(warnings);
            roles.challenger().map(ModelFile::model).ifPresent(Model::close);
            Optional<Rollout> rollout = Optional.empty();
            if (challenger.isPresent()) {
                ModelFile champion = roles.champion().orElseThrow(() -> new IOException("no champion is published in " + store.describe()
                        + ": publish one first (without --role challenger); a challenger is measured against it"));
                if (roles.challenger().isPresent()) {
                    roles.champion().map(ModelFile::model).ifPresent(Model::close);
                    throw new IOException("version " + roles.challenger().get().version() + " in " + store.describe()
                            + " is already challenging champion version " + champion.version()
                            + ": promote or retire it first (fitter rollout --promote | --retire); a name has one challenger at a time");
                }
                rollout = Optional.of(challenger.get().rollout().against(champion.version(), challenger.get().policy()));
            }
            Optional<ModelFile> newest = roles.champion();
            Model model = null;
            boolean written = false;
            try {
                model = next.from(newest);
                ModelFile created = ModelFile.create(nextVersion(), now(), model).withTraining(training);
                ModelFile file = write(rollout.map(created::asChallenger).orElse(created), warnings);
                written = true;
                return file;
            } finally {
                Model published = model;
                newest.map(ModelFile::model).filter(read -> read != published).ifPresent(Model::close);
                if (!written && model != null) {
                    // Not published, so not handed back: nobody else will close it.
                    model.close();
                }
            }
        });
    }

    /**
     * Publishes a new version with the parameters of an earlier one, recording {@code
     * promotedFrom}: the version gate of the job stays monotonic, so every scoring subtask follows.
     *
     * @throws IOException if that version is not published here or cannot be read
     */
    public ModelFile promote(long version, Consumer<String> warnings) throws IOException {
        return store.withLock(() -> write(ModelFile.promote(nextVersion(), now(), readPublished(version)), warnings));
    }

    /**
     * Ends the rollout of challenger {@code challengerVersion}: publishes its parameters as the new
     * champion ({@code promote}) or the champion's again (a retirement), as a new version — checked
     * and published under the directory lock, so two deciders (two watchers, a watcher and a person)
     * never both end one rollout.
     *
     * @throws IOException if that challenger is not the one running any more (promoted, retired or
     *     superseded meanwhile), saying what runs
     */
    public ModelFile endRollout(long challengerVersion, boolean promote, Consumer<String> warnings) throws IOException {
        return store.withLock(() -> {
            Roles roles = roles(warnings);
            roles.champion().map(ModelFile::model).ifPresent(Model::close);
            roles.challenger().map(ModelFile::model).ifPresent(Model::close);
            if (roles.champion().isEmpty() || roles.challenger().isEmpty()
                    || roles.challenger().get().version() != challengerVersion) {
                throw new IOException("challenger version " + challengerVersion + " is not running in " + store.describe() + " any more ("
                        + roles.challenger().map(c -> "version " + c.version() + " is").orElse("no challenger is") + "): nothing to "
                        + (promote ? "promote" : "retire"));
            }
            ModelFile source = readPublished(promote ? challengerVersion : roles.champion().get().version());
            try {
                return write(ModelFile.promote(nextVersion(), now(), source), warnings);
            } catch (IOException | RuntimeException e) {
                source.model().close();
                throw e;
            }
        });
    }

    /**
     * Rolls back: promotes the newest valid version published before the current one's origin
     * (the current one itself, or the version it was promoted from), so rolling back twice goes
     * back two steps, not back and forth.
     *
     * @throws IOException if nothing is published, or nothing before the current model
     */
    public ModelFile rollback(Consumer<String> warnings) throws IOException {
        return store.withLock(() -> {
            Roles roles = roles(warnings);
            roles.challenger().map(ModelFile::model).ifPresent(Model::close);
            ModelFile current = roles.champion()
                    .orElseThrow(() -> new IOException("no model is published in " + store.describe() + ": nothing to roll back"));
            // Only its origin is needed: an ONNX model holds a native session until closed.
            current.model().close();
            for (long version : store.versions()) {
                if (version < current.origin()) {
                    try {
                        ModelFile earlier = store.read(version, codec);
                        if (earlier.isChallenger()) {
                            // Never champion, so nothing to go back to.
                            earlier.model().close();
                            continue;
                        }
                        try {
                            return write(ModelFile.promote(nextVersion(), now(), earlier), warnings);
                        } catch (IOException | RuntimeException e) {
                            earlier.model().close();
                            throw e;
                        }
                    } catch (ModelFileException e) {
                        warnings.accept("skipped " + e.getMessage());
                    } catch (NoSuchFileException e) {
                        // Deleted since it was listed.
                    }
                }
            }
            throw new IOException("no valid model was published before version " + current.origin() + " in " + store.describe()
                    + ": nothing to roll back to");
        });
    }

    /** The published file of a version. */
    public ModelFile readPublished(long version) throws IOException {
        try {
            return store.read(version, codec);
        } catch (ModelFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Consumer<ModelFileException> skipped(Consumer<String> warnings) {
        return e -> warnings.accept("skipped " + e.getMessage());
    }

    /** Writes a new version's file (the store records its number first, and repoints the link to a champion). */
    private ModelFile write(ModelFile file, Consumer<String> warnings) throws IOException {
        store.write(file.version(), codec.encode(file), !file.isChallenger(), warnings);
        return file;
    }

    /**
     * Deletes every published model file but the newest {@code keep}.
     *
     * @return the deleted files
     */
    public List<Path> keepNewest(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        DirectoryVersions directory = directory();
        return store.withLock(
                () -> {
                    List<PublishedFile> files = directory.list();
                    List<Path> deleted = new ArrayList<>();
                    for (PublishedFile file : files.subList(Math.min(keep, files.size()), files.size())) {
                        if (Files.deleteIfExists(file.path())) {
                            deleted.add(file.path());
                        }
                    }
                    return deleted;
                });
    }

    /** The highest version ever published here, present or deleted; 0 if none. */
    public long lastVersion() throws IOException {
        return store.lastVersion();
    }

    private long nextVersion() throws IOException {
        return Math.addExact(lastVersion(), 1);
    }
}
