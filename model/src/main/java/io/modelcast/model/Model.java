package io.modelcast.model;

/**
 * A model that scores one input and returns its output as text.
 *
 * <p>Implementations are immutable and thread-safe: the job shares one instance between all records
 * of a subtask and replaces it as a whole when a newer model version arrives.
 */
public interface Model {

    /** The name of this model's type, as written in the {@code type} field of a model file. */
    String typeName();

    /**
     * Scores one input.
     *
     * @param input the input item, an integer
     * @return the model's output for that item, never {@code null}
     */
    String transform(long input);
}
