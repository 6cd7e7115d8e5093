package io.modelcast.job.records;

import java.util.Arrays;

/**
 * Inputs on their way to a remote model in one request: up to {@code --batch-size} records of one
 * input batch, each with its {@link RemoteCall} (the same pointer for all). The async step posts
 * their instances together — TensorFlow Serving's {@code instances} array takes many — and gets one
 * prediction per record back, in order. A Flink POJO.
 */
public class RemoteBatch {

    /** The records, each awaiting its output ({@link ScoredRecord#remote} set). */
    public ScoredRecord[] records;

    public RemoteBatch() {}

    public RemoteBatch(ScoredRecord[] records) {
        this.records = records;
    }

    /** The request's {@code instances} array: each record's instance, in order. */
    public String instances() {
        StringBuilder json = new StringBuilder(records.length * 8).append('[');
        for (int i = 0; i < records.length; i++) {
            String one = records[i].remote.instance;
            if (i > 0) {
                json.append(',');
            }
            // Each instance is written as a one-element array: "[7]" or "[[0.5,1.0]]".
            json.append(one, 1, one.length() - 1);
        }
        return json.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteBatch other && Arrays.equals(records, other.records);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(records);
    }

    @Override
    public String toString() {
        return "RemoteBatch{" + records.length + " records}";
    }
}
