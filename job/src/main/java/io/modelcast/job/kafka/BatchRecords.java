package io.modelcast.job.kafka;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.InputRecord;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Groups records that arrive one at a time (the Kafka path) into {@link InputBatch}es of up to
 * {@code batchSize}, so the hop to the scoring operator and the model call — one ONNX Runtime
 * inference — are paid once per batch rather than once per record.
 *
 * <p>A batch goes out when it is full, when its first record has waited {@code batchTimeout}
 * (a processing-time timer), before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}),
 * and at the end of input. The operator therefore keeps nothing in state: every record it took
 * before a barrier is downstream of that barrier's snapshot, so a restore neither loses nor repeats
 * one. With a timeout of zero, or a batch size of one, every record goes out at once as a batch of one.
 *
 * <p>Limits: the timeout bounds the added latency only while the task thread is free to run the timer;
 * records keep their order; a batch never mixes feature vectors with integers (the input format is
 * one per job).
 */
public final class BatchRecords extends AbstractStreamOperator<InputBatch>
        implements OneInputStreamOperator<InputRecord, InputBatch> {

    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long timeoutMillis;

    private transient InputBatchBuilder pending;
    /** The timeout of the pending batch; cancelled when the batch goes out sooner. */
    private transient ScheduledFuture<?> timeout;
    /**
     * Counts batches started, so a timer set for an earlier batch does not cut a later one short
     * (one that had already fired when it was cancelled still runs).
     */
    private transient long batchNumber;

    /**
     * @param batchSize the most records in one batch, at least 1
     * @param batchTimeout the longest the first record of a batch waits for the batch to fill; not negative
     */
    public BatchRecords(int batchSize, Duration batchTimeout) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        if (batchTimeout.isNegative()) {
            throw new IllegalArgumentException("batch timeout must not be negative, was " + batchTimeout);
        }
        this.batchSize = batchSize;
        this.timeoutMillis = batchTimeout.toMillis();
    }

    @Override
    public void processElement(StreamRecord<InputRecord> element) {
        if (batchSize == 1 || timeoutMillis == 0) {
            output.collect(new StreamRecord<>(InputBatch.of(element.getValue())));
            return;
        }
        if (pending == null) {
            pending = new InputBatchBuilder(batchSize, 32 * batchSize);
            long thisBatch = ++batchNumber;
            long deadline = getProcessingTimeService().getCurrentProcessingTime() + timeoutMillis;
            timeout = getProcessingTimeService().registerTimer(deadline, time -> {
                if (batchNumber == thisBatch) {
                    flush();
                }
            });
        }
        // Copied into the batch at once: with object reuse the record may be reused upstream.
        pending.add(element.getValue());
        if (pending.size() >= batchSize) {
            flush();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (pending != null && pending.size() > 0) {
            output.collect(new StreamRecord<>(pending.build()));
        }
        pending = null;
        if (timeout != null) {
            // Full batches at a high rate would otherwise leave one idle timer each behind.
            timeout.cancel(false);
            timeout = null;
        }
    }
}
