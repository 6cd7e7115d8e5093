package io.modelcast.fitter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The job's labelled examples of one model name from its {@code --examples-dir}, as training data:
 * every finished file (the job's in-progress files have hidden names, and are skipped) under the
 * directory last modified within the window, line by line, into {@link Examples}.
 */
final class ExamplesFiles {

    private ExamplesFiles() {}

    static Examples.Read read(Path directory, Duration window, String name) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("--from-files " + directory + " is not a directory");
        }
        Instant since = Instant.now().minus(window);
        List<Path> files;
        try (Stream<Path> all = Files.walk(directory)) {
            files = all.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> modifiedSince(file, since))
                    .sorted()
                    .toList();
        }
        Examples rows = new Examples(name);
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        rows.add(line.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return rows.read();
    }

    private static boolean modifiedSince(Path file, Instant since) {
        try {
            return !Files.getLastModifiedTime(file).toInstant().isBefore(since);
        } catch (IOException e) {
            // Gone between listing and reading (a file the job just finished and renamed): skipped.
            return false;
        }
    }
}
