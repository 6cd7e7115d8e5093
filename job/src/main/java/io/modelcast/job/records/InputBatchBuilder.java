package io.modelcast.job.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds an {@link InputBatch} input by input; grows as needed. */
public final class InputBatchBuilder {
    private byte[] text;
    private int[] ends;
    private long[] values;
    private RecordOrigin[] origins;
    private float[] features;
    private int[] featureEnds;
    private String[] ids;
    /** The model each input names, or null where none; null while no input names one. */
    private String[] models;
    private long[] specs;
    private int featureLength;
    private int size;
    private int length;

    public InputBatchBuilder(int expectedInputs, int expectedBytes) {
        text = new byte[Math.max(16, expectedBytes)];
        ends = new int[Math.max(1, expectedInputs)];
        values = new long[ends.length];
    }

    public InputBatchBuilder add(byte[] bytes, int offset, int count, long value, RecordOrigin origin) {
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
            values = Arrays.copyOf(values, size * 2);
            if (origins != null) {
                origins = Arrays.copyOf(origins, size * 2);
            }
        }
        if (length + count > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, length + count));
        }
        if (origin != null && origins == null) {
            origins = new RecordOrigin[ends.length];
        }
        System.arraycopy(bytes, offset, text, length, count);
        length += count;
        ends[size] = length;
        values[size] = value;
        if (origins != null) {
            origins[size] = origin;
        }
        size++;
        return this;
    }

    /** Adds a record: its text, and its integer or its features and id. */
    public InputBatchBuilder add(InputRecord record) {
        byte[] bytes = record.text.getBytes(StandardCharsets.UTF_8);
        add(bytes, 0, bytes.length, record.value, record.origin);
        if (record.features != null) {
            withFeatures(record.features, record.id);
        }
        if (record.model != null) {
            withModel(record.model);
        }
        return this;
    }

    /**
     * Gives the input added last a feature vector and an id (or null). Either every input of a
     * batch has features, or none.
     */
    public InputBatchBuilder withFeatures(float[] vector, String id) {
        return withFeatures(vector, vector.length, id);
    }

    /** As {@link #withFeatures(float[], String)}, with the first {@code length} values of {@code vector}. */
    public InputBatchBuilder withFeatures(float[] vector, int length, String id) {
        int index = size - 1;
        if (features == null) {
            if (index != 0) {
                throw new IllegalStateException("either every input of a batch has features, or none");
            }
            features = new float[Math.max(16, length * ends.length)];
            featureEnds = new int[ends.length];
        }
        if (featureEnds.length < ends.length) {
            featureEnds = Arrays.copyOf(featureEnds, ends.length);
        }
        if (featureLength + length > features.length) {
            features = Arrays.copyOf(features, Math.max(features.length * 2, featureLength + length));
        }
        System.arraycopy(vector, 0, features, featureLength, length);
        featureLength += length;
        featureEnds[index] = featureLength;
        if (id != null && ids == null) {
            ids = new String[ends.length];
        }
        if (ids != null) {
            if (ids.length < ends.length) {
                ids = Arrays.copyOf(ids, ends.length);
            }
            ids[index] = id;
        }
        return this;
    }

    /** Names the model of the input added last. */
    public InputBatchBuilder withModel(String name) {
        if (models == null) {
            models = new String[ends.length];
        } else if (models.length < ends.length) {
            models = Arrays.copyOf(models, ends.length);
        }
        models[size - 1] = name;
        return this;
    }

    /** Stamps the input added last with the fingerprint of the feature spec that computed its features. */
    public InputBatchBuilder withSpec(long fingerprint) {
        if (specs == null) {
            specs = new long[ends.length];
        } else if (specs.length < ends.length) {
            specs = Arrays.copyOf(specs, ends.length);
        }
        specs[size - 1] = fingerprint;
        return this;
    }

    public int size() {
        return size;
    }

    public InputBatch build() {
        if (models != null && models.length < size) {
            models = Arrays.copyOf(models, size);
        }
        if (specs != null && specs.length < size) {
            specs = Arrays.copyOf(specs, size);
        }
        return new InputBatch(text, ends, values, origins, features, featureEnds, ids, models, specs, size);
    }
}
