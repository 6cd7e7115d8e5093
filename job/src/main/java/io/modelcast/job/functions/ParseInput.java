package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.functions.InputRules.InvalidInputException;
import io.modelcast.job.records.InputBatch;
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
 * integers, or with {@code csv} and {@code json} input, feature vectors ({@link FeatureRules}).
 * Lines that break the {@link InputRules} go to {@link Descriptors#BAD_RECORDS} with the reason;
 * nothing is dropped and nothing fails the job.
 *
 * <p>Plain ASCII integers — nearly every line — are parsed straight from the bytes, without a
 * string; anything else takes {@link InputRules#parse}, which decides and gives the reason, so
 * both paths accept exactly the same inputs. When every line is valid the batch keeps the lines'
 * bytes as they are.
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
    private transient FeatureRules featureRules;
    /** The value {@link #parseAsciiInteger} found. */
    private transient long parsed;

    /** Integer inputs. */
    public ParseInput() {
        this(InputFormat.INT);
    }

    public ParseInput(InputFormat format) {
        this(format, null);
    }

    /** @param sourceName if not null, every line gets an origin: this name, partition 0 and its sequence number */
    public ParseInput(InputFormat format, String sourceName) {
        this.format = format;
        this.sourceName = sourceName;
    }

    @Override
    public void open(OpenContext openContext) {
        recordsRejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
        featureRules = new FeatureRules();
    }

    @Override
    public void processElement(LineBatch lines, Context ctx, Collector<InputBatch> out) {
        if (sourceName != null) {
            parseNumbered(lines, ctx, out);
            return;
        }
        if (format.hasFeatures()) {
            parseFeatures(lines, ctx, out);
            return;
        }
        int size = lines.size();
        long[] values = new long[size];
        InputBatch.Builder compacted = null;
        byte[] bytes = lines.bytes();
        for (int i = 0; i < size; i++) {
            int start = lines.start(i);
            int end = lines.end(i);
            long value;
            if (parseAsciiInteger(bytes, start, end)) {
                value = parsed;
            } else {
                String line = lines.line(i);
                try {
                    value = InputRules.parse(line);
                } catch (InvalidInputException e) {
                    reject(line, e.getMessage(), ctx);
                    if (compacted == null) {
                        compacted = new InputBatch.Builder(size, bytes.length);
                        for (int valid = 0; valid < i; valid++) {
                            compacted.add(bytes, lines.start(valid), lines.end(valid) - lines.start(valid), values[valid], null);
                        }
                    }
                    continue;
                }
            }
            if (compacted == null) {
                values[i] = value;
            } else {
                compacted.add(bytes, start, end - start, value, null);
            }
        }
        InputBatch valid = compacted == null ? lines.toInputs(values) : compacted.build();
        if (valid.size() > 0) {
            out.collect(valid);
        }
    }

    /** csv and json lines: each one parsed into a vector (and id); the invalid ones rejected with the reason. */
    private void parseFeatures(LineBatch lines, Context ctx, Collector<InputBatch> out) {
        int size = lines.size();
        byte[] bytes = lines.bytes();
        InputBatch.Builder valid = new InputBatch.Builder(size, bytes.length);
        for (int i = 0; i < size; i++) {
            String line = lines.line(i);
            try {
                featureRules.parse(line, format);
            } catch (InvalidInputException e) {
                reject(line, e.getMessage(), ctx);
                continue;
            }
            valid.add(bytes, lines.start(i), lines.end(i) - lines.start(i), 0, null);
            featureRules.addTo(valid);
        }
        if (valid.size() > 0) {
            out.collect(valid.build());
        }
    }

    /** Every line with its origin, valid or not: the slower path, for numbered lines. */
    private void parseNumbered(LineBatch lines, Context ctx, Collector<InputBatch> out) {
        int size = lines.size();
        byte[] bytes = lines.bytes();
        long now = System.currentTimeMillis();
        InputBatch.Builder valid = new InputBatch.Builder(size, bytes.length);
        for (int i = 0; i < size; i++) {
            RecordOrigin origin = new RecordOrigin(sourceName, 0, nextSequence++, now, null);
            String line = lines.line(i);
            long value = 0;
            try {
                if (format.hasFeatures()) {
                    featureRules.parse(line, format);
                } else {
                    value = InputRules.parse(line);
                }
            } catch (InvalidInputException e) {
                reject(line, e.getMessage(), origin, ctx);
                continue;
            }
            valid.add(bytes, lines.start(i), lines.end(i) - lines.start(i), value, origin);
            if (format.hasFeatures()) {
                featureRules.addTo(valid);
            }
        }
        if (valid.size() > 0) {
            out.collect(valid.build());
        }
    }

    private void reject(String line, String reason, Context ctx) {
        reject(line, reason, null, ctx);
    }

    private void reject(String line, String reason, RecordOrigin origin, Context ctx) {
        recordsRejected.inc();
        int shownLength = format.hasFeatures() ? 1024 : InputRules.MAX_INPUT_LENGTH;
        String shown = line.length() > shownLength ? line.substring(0, shownLength) + "…" : line;
        ctx.output(Descriptors.BAD_RECORDS, new RejectedRecord(shown, reason, origin));
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

    /**
     * Whether {@code bytes[start, end)} is ASCII white space, an optional sign, 1 to 18 digits and
     * white space, within {@link InputRules#MAX_INPUT_LENGTH}; if so its value is in {@link #parsed}.
     * Anything else — longer numbers, other characters — is for {@link InputRules#parse} to judge.
     */
    boolean parseAsciiInteger(byte[] bytes, int start, int end) {
        if (end - start > InputRules.MAX_INPUT_LENGTH) {
            return false;
        }
        while (start < end && isAsciiWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isAsciiWhitespace(bytes[end - 1])) {
            end--;
        }
        boolean negative = false;
        if (start < end && (bytes[start] == '-' || bytes[start] == '+')) {
            negative = bytes[start] == '-';
            start++;
        }
        int digits = end - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            value = value * 10 + digit;
        }
        parsed = negative ? -value : value;
        return true;
    }

    /** What {@link String#strip} removes, among ASCII characters. */
    private static boolean isAsciiWhitespace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
    }
}
