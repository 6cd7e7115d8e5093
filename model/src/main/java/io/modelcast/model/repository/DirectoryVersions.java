package io.modelcast.model.repository;

import static io.modelcast.model.repository.ModelDirectory.CURRENT_LINK_NAME;
import static io.modelcast.model.repository.ModelDirectory.LAST_VERSION_FILE_NAME;
import static io.modelcast.model.repository.ModelDirectory.LOCK_FILE_NAME;
import static io.modelcast.model.repository.ModelDirectory.fileName;
import static io.modelcast.model.repository.ModelDirectory.versionOf;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory.PublishedFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A model name's versions in a directory: its {@code model-<v>.json} files, its lock file, its
 * {@code model-current.json} link and the highest version ever published, remembered in a hidden file
 * so that deleting old files does not bring their numbers back ({@link ModelDirectory} has the layout).
 */
final class DirectoryVersions implements VersionStore {
    private final Path dir;
    private final DirectoryFiles files;

    DirectoryVersions(Path dir) {
        this.dir = dir;
        this.files = new DirectoryFiles(dir, LOCK_FILE_NAME);
    }

    @Override
    public <T> T withLock(Locked<T> action) throws IOException {
        return files.withLock(action::run);
    }

    @Override
    public List<Long> versions() throws IOException {
        return list().stream().map(PublishedFile::version).toList();
    }

    @Override
    public ModelFile read(long version, ModelFileCodec codec) throws IOException, ModelFileException {
        Path file = dir.resolve(fileName(version));
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no model version " + version + " is published here");
        }
        return codec.read(file);
    }

    Path path() {
        return dir;
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    @Override
    public void write(long version, byte[] content, boolean champion, Consumer<String> warnings) throws IOException {
        // Remember the version before the file appears: if it were deleted at once, its number
        // must still never come back.
        files.writeAtomically(LAST_VERSION_FILE_NAME, (version + "\n").getBytes(StandardCharsets.US_ASCII));
        files.writeAtomically(fileName(version), content);
        if (!champion) {
            // The link names the champion: a challenger scores only beside it.
            return;
        }
        try {
            files.pointLinkTo(CURRENT_LINK_NAME, fileName(version));
        } catch (IOException | UnsupportedOperationException e) {
            // A stale link would be worse than none: readers fall back to the newest file.
            Files.deleteIfExists(dir.resolve(CURRENT_LINK_NAME));
            warnings.accept("published " + fileName(version) + " but could not point "
                    + CURRENT_LINK_NAME + " at it: " + e);
        }
    }

    /** The published model files, newest version first. Files are listed, not read. */
    List<PublishedFile> list() throws IOException {
        List<PublishedFile> published = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                OptionalLong version = versionOf(entry.getFileName().toString());
                if (version.isPresent() && Files.isRegularFile(entry)) {
                    published.add(new PublishedFile(version.getAsLong(), entry));
                }
            }
        }
        published.sort(Comparator.comparingLong(PublishedFile::version).reversed());
        return published;
    }

    @Override
    public long lastVersion() throws IOException {
        long highest = 0;
        for (PublishedFile file : list()) {
            highest = Math.max(highest, file.version());
        }
        Path lastVersionFile = dir.resolve(LAST_VERSION_FILE_NAME);
        if (Files.exists(lastVersionFile)) {
            String text = Files.readString(lastVersionFile, StandardCharsets.US_ASCII).trim();
            try {
                highest = Math.max(highest, Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new IOException(lastVersionFile + " is damaged (it holds \"" + text + "\", not a version number);"
                        + " delete it only if no model with a higher version than those present was ever published here", e);
            }
        }
        return highest;
    }

    /** The current-model link's target, if the link exists. */
    Optional<Path> currentLink() {
        Path link = dir.resolve(CURRENT_LINK_NAME);
        return Files.exists(link) ? Optional.of(link) : Optional.empty();
    }
}
