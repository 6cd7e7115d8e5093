package io.modelcast.job.sources;

import io.modelcast.job.models.ModelValidator;
import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The directory watch that finds new model versions, as a Source (FLIP-27) over Flink's {@code
 * FileSystem} API, so {@code file://}, {@code hdfs://} and {@code s3://} model directories all work.
 *
 * <p>Unlike Flink's {@code FileSource}, which remembers every path it has ever read in its state
 * (FLINK-25672), it remembers only the highest version it has handed out: its state does not grow
 * with the number of versions published. And when several new versions appear at once — a job
 * starting over a directory of 10,000 files — it reads the newest, and older ones only if the newer
 * ones are invalid: only the newest valid model is broadcast. Files must be named {@code
 * model-<version>.json}; a file is read once, when its version is new (publish new versions under
 * new names, atomically, as the fitter does). Run it with parallelism 1.
 */
public final class ModelDirectorySource
        implements Source<ModelFileBytes, ModelCandidatesSplit, ModelDirectoryState>, ResultTypeQueryable<ModelFileBytes> {

    private static final long serialVersionUID = 1L;

    private final String directory;
    private final Duration pollInterval;
    private final long maxModelBytes;

    /**
     * @param directory the model directory, as a URI or path Flink's file systems understand
     * @param pollInterval how often it is listed
     * @param maxModelBytes the size limit of a model file
     */
    public ModelDirectorySource(String directory, Duration pollInterval, long maxModelBytes) {
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.maxModelBytes = maxModelBytes;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ModelFileBytes, ModelCandidatesSplit> createReader(SourceReaderContext context) {
        long limit = maxModelBytes;
        return new Reader(() -> new CandidatesReader(limit), context);
    }

    @Override
    public SplitEnumerator<ModelCandidatesSplit, ModelDirectoryState> createEnumerator(
            SplitEnumeratorContext<ModelCandidatesSplit> context) {
        return new ModelDirectoryEnumerator(context, directory, pollInterval, ModelDirectoryState.INITIAL);
    }

    @Override
    public SplitEnumerator<ModelCandidatesSplit, ModelDirectoryState> restoreEnumerator(
            SplitEnumeratorContext<ModelCandidatesSplit> context, ModelDirectoryState checkpoint) {
        return new ModelDirectoryEnumerator(context, directory, pollInterval, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ModelCandidatesSplit> getSplitSerializer() {
        return new ModelCandidatesSplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<ModelDirectoryState> getEnumeratorCheckpointSerializer() {
        return new ModelDirectoryState.Serializer();
    }

    @Override
    public TypeInformation<ModelFileBytes> getProducedType() {
        return TypeInformation.of(ModelFileBytes.class);
    }

    /** Reads each split's newest valid file (and the invalid newer ones) on the fetcher thread. */
    private static final class CandidatesReader implements SplitReader<ModelFileBytes, ModelCandidatesSplit> {

        private static final Logger LOG = LoggerFactory.getLogger(CandidatesReader.class);

        private final long maxModelBytes;
        private final ModelValidator validator;
        private final Deque<ModelCandidatesSplit> splits = new ArrayDeque<>();

        CandidatesReader(long maxModelBytes) {
            this.maxModelBytes = maxModelBytes;
            this.validator = new ModelValidator(maxModelBytes);
        }

        /**
         * Takes every split queued so far at once — splits that arrived while a large file was
         * being read are superseded together — and reads their newest valid candidate.
         */
        @Override
        public RecordsWithSplitIds<ModelFileBytes> fetch() {
            if (splits.isEmpty()) {
                return new RecordsBySplits<>(Map.of(), Set.of());
            }
            ModelCandidatesSplit merged = splits.poll();
            Set<String> finished = new HashSet<>(Set.of(merged.splitId()));
            while (!splits.isEmpty()) {
                ModelCandidatesSplit next = splits.poll();
                finished.add(next.splitId());
                merged = merged.merge(next);
            }
            List<ModelFileBytes> read = ModelFiles.newestValid(merged.candidates(), validator, maxModelBytes);
            int superseded = merged.candidates().size() - read.size();
            if (superseded > 0) {
                LOG.info("Not reading {} older model files, superseded by {}", superseded, read.get(read.size() - 1).path);
            }
            RecordsBySplits.Builder<ModelFileBytes> records = new RecordsBySplits.Builder<>();
            String emittingSplit = finished.iterator().next();
            records.addAll(emittingSplit, read);
            records.addFinishedSplits(finished);
            return records.build();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<ModelCandidatesSplit> splitsChange) {
            if (splitsChange instanceof SplitsAddition<ModelCandidatesSplit> addition) {
                splits.addAll(addition.splits());
            }
        }

        @Override
        public void wakeUp() {}

        @Override
        public void close() {}
    }

    /** A split's state is the split: it is read whole, in one fetch. */
    private static final class Reader
            extends SingleThreadMultiplexSourceReaderBase<ModelFileBytes, ModelFileBytes, ModelCandidatesSplit, ModelCandidatesSplit> {

        Reader(Supplier<SplitReader<ModelFileBytes, ModelCandidatesSplit>> splitReader, SourceReaderContext context) {
            super(splitReader, (file, output, split) -> output.collect(file), new Configuration(), context);
        }

        @Override
        protected void onSplitFinished(Map<String, ModelCandidatesSplit> finishedSplitIds) {}

        @Override
        protected ModelCandidatesSplit initializedState(ModelCandidatesSplit split) {
            return split;
        }

        @Override
        protected ModelCandidatesSplit toSplitType(String splitId, ModelCandidatesSplit state) {
            return state;
        }
    }
}
