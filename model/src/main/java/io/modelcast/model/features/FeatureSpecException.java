package io.modelcast.model.features;

/** A feature spec that cannot be used; the message names the feature and what is wrong with it. */
public final class FeatureSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    public FeatureSpecException(String message) {
        super(message);
    }
}
