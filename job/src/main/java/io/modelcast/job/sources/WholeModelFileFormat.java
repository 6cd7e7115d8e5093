package io.modelcast.job.sources;

import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * Reads a whole file as one record, for model files.
 *
 * <p>At most {@code maxBytes + 1} bytes are read, whatever length the file system reports, so a
 * huge or growing file cannot take the heap; the loader then rejects it as too large. A file that
 * cannot be read (deleted between listing and reading, say) becomes a record that says so rather
 * than an exception, which would fail the job and, on restart, fail it again. Zero-byte files are
 * read as empty records (Flink's {@code StreamFormat} adapter would fail the job on them).
 */
public final class WholeModelFileFormat implements BulkFormat<ModelFileBytes, FileSourceSplit> {

    private static final long serialVersionUID = 1L;

    private final long maxBytes;

    public WholeModelFileFormat(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Reader<ModelFileBytes> createReader(Configuration config, FileSourceSplit split) {
        return new WholeFileReader(split.path(), maxBytes, false);
    }

    @Override
    public Reader<ModelFileBytes> restoreReader(Configuration config, FileSourceSplit split) {
        // The one record's position says "one record read": then there is nothing left.
        boolean alreadyRead =
                split.getReaderPosition().map(p -> p.getRecordsAfterOffset() > 0).orElse(false);
        return new WholeFileReader(split.path(), maxBytes, alreadyRead);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ModelFileBytes> getProducedType() {
        return TypeInformation.of(ModelFileBytes.class);
    }

    private static final class WholeFileReader implements Reader<ModelFileBytes> {

        private final Path path;
        private final long maxBytes;
        private boolean done;

        WholeFileReader(Path path, long maxBytes, boolean done) {
            this.path = path;
            this.maxBytes = maxBytes;
            this.done = done;
        }

        @Nullable
        @Override
        public RecordIterator<ModelFileBytes> readBatch() {
            if (done) {
                return null;
            }
            done = true;
            SingletonResultIterator<ModelFileBytes> result = new SingletonResultIterator<>();
            result.set(read(), CheckpointedPosition.NO_OFFSET, 1);
            return result;
        }

        private ModelFileBytes read() {
            String name = path.toString();
            try (FSDataInputStream in = path.getFileSystem().open(path)) {
                return ModelFileBytes.read(name, in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16)));
            } catch (IOException | RuntimeException e) {
                // File-system clients also fail with unchecked exceptions; none may fail the job.
                return ModelFileBytes.unreadable(name, e.toString());
            }
        }

        @Override
        public void close() {}
    }
}
