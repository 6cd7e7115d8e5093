package io.modelcast.job.parse;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.LineBatch;
import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import io.modelcast.job.records.RecordOrigin;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * The preprocessing step of the socket path: turns a batch of lines into a batch of valid inputs —
 * integers, or with {@code csv} and {@code json} input, feature vectors — by the same rules as the
 * Kafka path ({@link InputParser}). Lines that break them go to {@link Descriptors#BAD_RECORDS}
 * with the reason; nothing is dropped and nothing fails the job. When every integer line is valid
 * the batch keeps the lines' bytes as they are.
 *
 * <p>With a source name (socket input written to a database), every line — valid or not — gets an
 * origin: that name, partition 0, and a sequence number, which keys its row as a Kafka offset would.
 * The next number is checkpointed. A socket cannot replay, so lines read after the last checkpoint
 * before a failure are lost to the job, and after the restore their numbers go to the lines that
 * come next: their rows are overwritten, never doubled.
 */
public final class ParseInput extends ProcessFunction<LineBatch, InputBatch> implements CheckpointedFunction {

    private final InputFormat format;
    /** The origin's topic of every line, if lines are numbered; else null. */
    private final String sourceName;

    private transient long nextSequence;
    private transient ListState<Long> nextSequenceState;

    private transient Counter recordsRejected;
    private transient InputParser parser;

    /** Integer inputs. */
    /** @param sourceName if not null, every line gets an origin: this name, partition 0 and its sequence number */
    public ParseInput(InputFormat format, String sourceName) {
        this.format = format;
        this.sourceName = sourceName;
    }

    @Override
    public void open(OpenContext openContext) {
        recordsRejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
        parser = new InputParser(format);
    }

    @Override
    public void processElement(LineBatch lines, Context ctx, Collector<InputBatch> out) {
        int size = lines.size();
        byte[] bytes = lines.bytes();
        if (sourceName == null && !format.hasFeatures()) {
            parseIntegers(lines, ctx, out);
            return;
        }
        long now = System.currentTimeMillis();
        InputBatchBuilder valid = new InputBatchBuilder(size, bytes.length);
        for (int i = 0; i < size; i++) {
            int start = lines.start(i);
            int length = lines.end(i) - start;
            RecordOrigin origin = sourceName == null ? null : new RecordOrigin(sourceName, 0, nextSequence++, now, null);
            if (!parser.accept(bytes, start, length)) {
                reject(bytes, start, length, origin, ctx);
                continue;
            }
            valid.add(bytes, start, length, parser.value(), origin);
            if (format.hasFeatures()) {
                parser.addFeaturesTo(valid);
            }
        }
        if (valid.size() > 0) {
            out.collect(valid.build());
        }
    }

    /**
     * Unnumbered integer lines, the seed workload's path: when every line is valid the batch keeps
     * the lines' bytes as they are, and only the values are new.
     */
    private void parseIntegers(LineBatch lines, Context ctx, Collector<InputBatch> out) {
        int size = lines.size();
        long[] values = new long[size];
        InputBatchBuilder compacted = null;
        byte[] bytes = lines.bytes();
        for (int i = 0; i < size; i++) {
            int start = lines.start(i);
            int length = lines.end(i) - start;
            if (!parser.accept(bytes, start, length)) {
                reject(bytes, start, length, null, ctx);
                if (compacted == null) {
                    compacted = new InputBatchBuilder(size, bytes.length);
                    for (int valid = 0; valid < i; valid++) {
                        compacted.add(bytes, lines.start(valid), lines.end(valid) - lines.start(valid), values[valid], null);
                    }
                }
                continue;
            }
            if (compacted == null) {
                values[i] = parser.value();
            } else {
                compacted.add(bytes, start, length, parser.value(), null);
            }
        }
        InputBatch valid = compacted == null ? lines.toInputs(values) : compacted.build();
        if (valid.size() > 0) {
            out.collect(valid);
        }
    }

    private void reject(byte[] bytes, int start, int length, RecordOrigin origin, Context ctx) {
        recordsRejected.inc();
        int shownLength = format.hasFeatures() ? 1024 : format.maxInputBytes();
        ctx.output(Descriptors.BAD_RECORDS,
                new RejectedRecord(InputParser.shown(bytes, start, length, shownLength), parser.reason(), origin));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (sourceName != null) {
            nextSequenceState.update(List.of(nextSequence));
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        nextSequenceState = context.getOperatorStateStore().getUnionListState(Descriptors.NEXT_LINE_SEQUENCE);
        nextSequence = 0;
        for (Long next : nextSequenceState.get()) {
            nextSequence = Math.max(nextSequence, next);
        }
    }
}
