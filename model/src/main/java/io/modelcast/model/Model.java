package io.modelcast.model;

/**
 * A model built from the parameters of a model file: an {@link IntegerModel}, which turns an
 * integer into text, or a {@link FeatureModel}, which scores feature vectors.
 *
 * <p>Implementations are thread-safe and, apart from {@link #close}, immutable: the job shares one
 * instance between all records of a subtask and replaces it as a whole when a newer model version
 * arrives — and then closes the old one.
 */
public interface Model extends AutoCloseable {

    /** The name of this model's type, as written in the {@code type} field of a model file. */
    String typeName();

    /**
     * Releases what the model holds outside the Java heap (an ONNX Runtime session); a no-op for
     * plain-Java models. Idempotent. A closed model must not be used again.
     */
    @Override
    default void close() {}
}
