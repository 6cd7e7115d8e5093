package io.modelcast.job.records;

/**
 * Legacy: one input of a {@link RemoteBatch}, in the form builds up to e84b367 checkpointed the
 * remote calls in flight. Kept, field for field, only so Flink's POJO serializer can read such a
 * savepoint; nothing new is made of it. Results are {@link Result}s.
 */
public class ScoredRecord {

    public String input;
    public String output;
    public long modelVersion;
    public long modelAgeMs;
    public int subtask;
    public RecordOrigin origin;
    public double score = Double.NaN;
    public String id;
    /** The call to make. */
    public RemoteCall remote;
    public long fallbackFrom;
    public String fallbackReason;

    public ScoredRecord() {}
}
