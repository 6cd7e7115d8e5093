package io.modelcast.model;

/** A model that scores one integer and returns its output as text, like the seed {@link CustomModel}. */
public interface IntegerModel extends Model {

    /**
     * Scores one input.
     *
     * @param input the input item, an integer
     * @return the model's output for that item, never {@code null}
     */
    String transform(long input);
}
