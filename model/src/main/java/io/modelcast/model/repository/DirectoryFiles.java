package io.modelcast.model.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file-system mechanics under {@link ModelDirectory}: its exclusive lock, atomic writes and
 * atomic symbolic links — what makes a publish whole or absent, and one at a time. Limits: the lock
 * is an advisory {@link FileLock} (a local file system, or one whose locks work across hosts).
 */
final class DirectoryFiles {

    /** File locks are held per JVM, so threads of one process also queue on a monitor. */
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String lockFileName;

    DirectoryFiles(Path dir, String lockFileName) {
        this.dir = dir;
        this.lockFileName = lockFileName;
    }

    interface LockedAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the directory's lock, against threads of this JVM and other processes alike. */
    <T> T withLock(LockedAction<T> action) throws IOException {
        // Keyed by the real path: two spellings of one directory must share one monitor, or the
        // second FileChannel.lock() in this JVM would throw OverlappingFileLockException.
        Object inProcessLock = IN_PROCESS_LOCKS.computeIfAbsent(dir.toRealPath(), d -> new Object());
        synchronized (inProcessLock) {
            try (FileChannel channel = openLockFile();
                    FileLock ignored = channel.lock()) {
                return action.run();
            }
        }
    }

    private FileChannel openLockFile() throws IOException {
        try {
            return FileChannel.open(
                    dir.resolve(lockFileName), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException(
                    "models directory "
                            + dir
                            + " is not writable: cannot create its lock file "
                            + lockFileName
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")",
                    e);
        }
    }

    /** Writes {@code name} whole or not at all: a hidden temporary file, synced, renamed into place. */
    void writeAtomically(String name, byte[] content) throws IOException {
        Path temp = dir.resolve("." + name + ".tmp");
        try (FileChannel channel =
                FileChannel.open(
                        temp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
    }

    /** Points the symbolic link {@code link} at {@code target}, replacing it atomically. */
    void pointLinkTo(String link, String target) throws IOException {
        Path temp = dir.resolve("." + link + ".tmp");
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, Paths.get(target));
        Files.move(temp, dir.resolve(link), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes the renames durable; some file systems cannot sync a directory, which is harmless. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Best effort only: the rename itself is already atomic.
        }
    }
}
