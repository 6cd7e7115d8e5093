package io.modelcast.job.labels;

import io.modelcast.job.records.RecordOrigin;

import java.util.Objects;

/**
 * The true outcome of a record, known later than its prediction: the record's id and its label, 0
 * or 1, with the label's text as it arrived and, for Kafka, where it was read. A Flink POJO (kept in
 * keyed state while it waits for its prediction).
 */
public class Label {

    /** The id of the record it labels: the JSON input's {@code id}, or its Kafka key. */
    public String id;

    /** 0 or 1. */
    public int label;

    /** The label as it arrived, for the side output of labels that match no prediction. */
    public String text;

    /** Where the label was read in Kafka; null for socket labels. */
    public RecordOrigin origin;

    public Label() {}

    public Label(String id, int label, String text, RecordOrigin origin) {
        this.id = id;
        this.label = label;
        this.text = text;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Label other && label == other.label && Objects.equals(id, other.id)
                && Objects.equals(text, other.text) && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, label, text, origin);
    }

    @Override
    public String toString() {
        return "Label{" + id + "=" + label + "}";
    }
}
