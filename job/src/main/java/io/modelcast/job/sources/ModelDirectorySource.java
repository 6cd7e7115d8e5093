package io.modelcast.job.sources;

import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.job.modelupdates.ModelValidator.Accepted;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.sources.ModelCandidatesSplit.Candidate;

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
import java.util.List;
import java.util.Map;
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
 * model-<version>.json}, in the models directory (the model named {@code default}) or in a
 * subdirectory named for its model ({@link ModelDirectoryEnumerator}); a file is read once, when its version is new (publish new versions under
 * new names, atomically, as the fitter does); a file of an old version that appears again is read
 * once too, for the loader to reject. Meant for parallelism 1 (more readers would only idle).
 */
public final class ModelDirectorySource
        implements Source<ModelFileBytes, ModelCandidatesSplit, ModelDirectoryState>, ResultTypeQueryable<ModelFileBytes> {

    private static final long serialVersionUID = 1L;

    private final String directory;
    private final Duration pollInterval;
    private final long maxModelBytes;
    private final InputFormat inputFormat;

    /**
     * @param directory the model directory, as a URI or path Flink's file systems understand
     * @param pollInterval how often it is listed
     * @param maxModelBytes the size limit of a model file
     * @param inputFormat what the job reads: a model for the other kind of input is not valid
     */
    public ModelDirectorySource(String directory, Duration pollInterval, long maxModelBytes, InputFormat inputFormat) {
        this.inputFormat = inputFormat;
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
        InputFormat format = inputFormat;
        return new Reader(() -> new CandidatesReader(limit, format), context);
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

    /** A file as read, and whether it passed validation (which ends its split). */
    record ReadCandidate(ModelFileBytes file, boolean accepted) {}

    /**
     * What is left of a split: what has not been emitted yet. Kept twice — by the split reader,
     * which reads, and as the split's state, which the emitter advances on the task thread as
     * each file goes out — so a checkpoint holds exactly what was not emitted before it, and a
     * restore neither re-reads nor skips a file.
     */
    static final class Remaining {
        private final String id;
        private final String name;
        private final ArrayDeque<Candidate> reappeared;
        private final ArrayDeque<Candidate> fresh;
        private final int freshOffered;

        Remaining(ModelCandidatesSplit split) {
            this.id = split.id();
            this.name = split.name();
            this.reappeared = new ArrayDeque<>(split.reappeared());
            this.fresh = new ArrayDeque<>(split.fresh());
            this.freshOffered = split.fresh().size();
        }

        /** The next file to read: reappeared ones first, then fresh ones newest first. */
        Candidate next() {
            return reappeared.isEmpty() ? fresh.peekFirst() : reappeared.peekFirst();
        }

        boolean nextIsFresh() {
            return reappeared.isEmpty();
        }

        /** The next file went out; an accepted fresh file supersedes the older fresh ones. */
        void emitted(boolean accepted) {
            if (!reappeared.isEmpty()) {
                reappeared.pollFirst();
            } else if (accepted) {
                fresh.clear();
            } else {
                fresh.pollFirst();
            }
        }

        boolean isDone() {
            return reappeared.isEmpty() && fresh.isEmpty();
        }

        ModelCandidatesSplit toSplit() {
            return new ModelCandidatesSplit(id, name, List.copyOf(reappeared), List.copyOf(fresh));
        }
    }

    /**
     * Reads one file per fetch, so at most a few model files are in memory at once however many
     * are offered, and validates fresh ones to stop at the newest valid one. Splits are read in
     * the order they came.
     */
    static final class CandidatesReader implements SplitReader<ReadCandidate, ModelCandidatesSplit> {

        private static final Logger LOG = LoggerFactory.getLogger(CandidatesReader.class);

        private final long maxModelBytes;
        private final ModelValidator validator;
        private final Deque<Remaining> splits = new ArrayDeque<>();

        CandidatesReader(long maxModelBytes, InputFormat inputFormat) {
            this.maxModelBytes = maxModelBytes;
            this.validator = new ModelValidator(maxModelBytes, inputFormat);
        }

        @Override
        public RecordsWithSplitIds<ReadCandidate> fetch() {
            RecordsBySplits.Builder<ReadCandidate> records = new RecordsBySplits.Builder<>();
            Remaining split = splits.peekFirst();
            if (split == null) {
                return records.build();
            }
            if (!split.isDone()) {
                boolean fresh = split.nextIsFresh();
                ModelFileBytes file = ModelFiles.read(split.next().path(), maxModelBytes).named(split.name);
                // Only a choice among several new files needs a verdict here; a single one goes to the loader as it is.
                boolean accepted = fresh && split.fresh.size() > 1 && validator.validate(file) instanceof Accepted;
                records.add(split.id, new ReadCandidate(file, accepted));
                int superseded = split.fresh.size() - 1;
                split.emitted(accepted);
                if (accepted && superseded > 0) {
                    LOG.info("Not reading {} older new model files, superseded by {}", superseded, file.path);
                } else if (fresh && !accepted && split.isDone()) {
                    LOG.warn("None of the {} new model files offered is valid (each is reported as a rejected model);"
                            + " the model in use keeps scoring", split.freshOffered);
                }
            }
            if (split.isDone()) {
                splits.pollFirst();
                records.addFinishedSplit(split.id);
            }
            return records.build();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<ModelCandidatesSplit> splitsChange) {
            if (splitsChange instanceof SplitsAddition<ModelCandidatesSplit> addition) {
                addition.splits().forEach(split -> splits.addLast(new Remaining(split)));
            }
        }

        @Override
        public void wakeUp() {}

        @Override
        public void close() {}
    }

    /** Emits the files and advances each split's state as they go out; asks for work when idle. */
    private static final class Reader
            extends SingleThreadMultiplexSourceReaderBase<ReadCandidate, ModelFileBytes, ModelCandidatesSplit, Remaining> {

        Reader(Supplier<SplitReader<ReadCandidate, ModelCandidatesSplit>> splitReader, SourceReaderContext context) {
            super(splitReader, (read, output, remaining) -> {
                output.collect(read.file());
                remaining.emitted(read.accepted());
            }, new Configuration(), context);
        }

        @Override
        public void start() {
            if (getNumberOfCurrentlyAssignedSplits() == 0) {
                context.sendSplitRequest();
            }
        }

        @Override
        protected void onSplitFinished(Map<String, Remaining> finishedSplitIds) {
            context.sendSplitRequest();
        }

        @Override
        protected Remaining initializedState(ModelCandidatesSplit split) {
            return new Remaining(split);
        }

        @Override
        protected ModelCandidatesSplit toSplitType(String splitId, Remaining remaining) {
            return remaining.toSplit();
        }
    }
}
