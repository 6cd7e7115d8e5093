package io.modelcast.job.events;

import io.modelcast.job.records.RecordOrigin;

import java.util.Objects;

/**
 * A raw event on its way from {@link KeyEvents} to {@link ComputeFeatures}, keyed by the model it
 * is for and the value of that model's key field, with what that model's spec reads of it, so it is
 * parsed once. Kept in keyed state only while it waits for its spec ({@link ComputeFeatures#WAITING}).
 * A Flink POJO.
 */
public class KeyedEvent {

    /** What the stream is keyed by: the model name and the key field's value ({@link #key(String, String)}). */
    public String key;

    /** The model whose feature spec keyed it. */
    public String model;

    /** The version of the model whose spec keyed it. */
    public long version;

    /** The field it was keyed by; null when the spec keys none (one history over all events). */
    public String keyField;

    /** The event's time, epoch milliseconds. */
    public long time;

    /** What the spec of {@link #version} reads of it ({@code FeatureComputer#inputs}): read once, where it was keyed. */
    public double[] inputs;

    /** The event as received. */
    public String text;

    /** The event's id, or null. */
    public String id;

    /** Where it was read in Kafka; null for socket input. */
    public RecordOrigin origin;

    public KeyedEvent() {}

    public KeyedEvent(String model, long version, String keyField, String keyValue, long time, double[] inputs, String text,
            String id, RecordOrigin origin) {
        this.key = key(model, keyValue);
        this.time = time;
        this.inputs = inputs;
        this.model = model;
        this.version = version;
        this.keyField = keyField;
        this.text = text;
        this.id = id;
        this.origin = origin;
    }

    /** The key of a model's histories for one key value: each model name's keys are its own. */
    public static String key(String model, String keyValue) {
        return model + '\u0000' + keyValue;
    }

    /** Whether {@code key} is one of model {@code model}'s keys. */
    public static boolean isOf(String key, String model) {
        return key.length() > model.length() && key.charAt(model.length()) == '\u0000' && key.startsWith(model);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyedEvent other && Objects.equals(key, other.key) && version == other.version
                && time == other.time && java.util.Arrays.equals(inputs, other.inputs)
                && Objects.equals(keyField, other.keyField)
                && Objects.equals(text, other.text) && Objects.equals(id, other.id) && Objects.equals(origin, other.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, text);
    }

    @Override
    public String toString() {
        return "KeyedEvent{key=" + key.replace('\u0000', '/') + ", text=" + text + "}";
    }
}
