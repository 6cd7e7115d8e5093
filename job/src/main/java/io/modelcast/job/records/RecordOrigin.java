package io.modelcast.job.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a record was read from in Kafka: topic, partition, offset, timestamp and key. Travels with
 * the record so each result can be traced to its input and keeps its key. A Flink POJO.
 */
public class RecordOrigin {

    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record's timestamp, in epoch milliseconds. */
    public long timestamp;
    /** The Kafka record's key; null if it had none. */
    public byte[] key;

    public RecordOrigin() {}

    public RecordOrigin(String topic, int partition, long offset, long timestamp, byte[] key) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordOrigin other
                && partition == other.partition
                && offset == other.offset
                && timestamp == other.timestamp
                && Objects.equals(topic, other.topic)
                && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
