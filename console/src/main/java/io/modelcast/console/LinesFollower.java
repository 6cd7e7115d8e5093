package io.modelcast.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the job's output file ({@code --lines FILE}: what a socket-mode job prints, say
 * var/demo/output.txt) from its start, four times a second, and hands each complete new line to the
 * {@link EvidenceLog} — which keeps the {@code report>}, {@code eval>} and {@code drift>} ones. A file
 * that is not there yet is waited for; one that shrinks (written anew) is read again from its start.
 */
final class LinesFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinesFollower.class);
    private static final int MAX_LINE_BYTES = 1024 * 1024;

    private final Path file;
    private final EvidenceLog log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-lines");
        thread.setDaemon(true);
        return thread;
    });
    private long position;
    private final StringBuilder partial = new StringBuilder();

    LinesFollower(Path file, EvidenceLog log) {
        this.file = file;
        this.log = log;
        timer.scheduleWithFixedDelay(this::readNew, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void readNew() {
        try {
            if (!Files.exists(file)) {
                return;
            }
            long size = Files.size(file);
            if (size < position) {
                position = 0;
                partial.setLength(0);
            }
            if (size == position) {
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(position);
                byte[] chunk = new byte[(int) Math.min(size - position, 4 * 1024 * 1024)];
                in.readFully(chunk);
                position += chunk.length;
                partial.append(new String(chunk, StandardCharsets.UTF_8));
            }
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                log.addLine(partial.substring(0, end));
                partial.delete(0, end + 1);
            }
            if (partial.length() > MAX_LINE_BYTES) {
                partial.setLength(0);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not read {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
