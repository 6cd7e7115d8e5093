package io.modelcast.job.records;

/**
 * Legacy: the call one {@link ScoredRecord} of a {@link RemoteBatch} awaited, in the form builds up
 * to e84b367 checkpointed it. Kept, field for field, only so Flink's POJO serializer can read such
 * a savepoint. A fallback version of 0 meant none; a NaN fallback score, an integer model's.
 */
public class RemoteCall {

    public long pointerVersion;
    public String pointer;
    public String instance;
    public long fallbackVersion;
    public String fallbackOutput;
    public double fallbackScore = Double.NaN;
    public String fallbackError;
    public String failure;

    public RemoteCall() {}
}
