package io.modelcast.model.repository;

import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where one model name's versions are kept — a directory ({@link ModelDirectory#open}) or, in the
 * fitter, a Kafka topic — seen the way {@link ModelDirectory} publishes: versions listed and read,
 * the highest ever published, a new version written whole, and a lock under which one publisher at
 * a time chooses and writes the next version. Implementations need not be thread-safe beyond that
 * lock.
 */
public interface VersionStore {

    /** Work done while holding the lock. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} while no other publisher of this name can publish; what {@link #versions}
     * and {@link #lastVersion} say inside it includes every version published before it began.
     */
    <T> T withLock(Locked<T> action) throws IOException;

    /** The published versions, newest first; listed, not read. */
    List<Long> versions() throws IOException;

    /**
     * Reads one published version.
     *
     * @throws java.nio.file.NoSuchFileException if it is not published here
     * @throws ModelFileException if it cannot be used, saying why
     */
    ModelFile read(long version, ModelFileCodec codec) throws IOException, ModelFileException;

    /** The highest version ever published here, present or gone; 0 if none. */
    long lastVersion() throws IOException;

    /**
     * Writes a new version whole, or not at all; called under the lock.
     *
     * @param champion whether it is a champion (a challenger is published beside one)
     * @param warnings told of anything that went wrong without stopping the publish
     * @throws IOException if it was not published, saying why
     */
    void write(long version, byte[] content, boolean champion, Consumer<String> warnings) throws IOException;

    /** Where the versions are, for messages: a directory's path, or a topic and the name. */
    String describe();
}
