package io.modelcast.job;

/**
 * What each input record holds ({@code --input-format}): one integer for integer models such as
 * the seed {@code custom} model, or a feature vector for feature models ({@code logistic}, {@code
 * onnx}). A model file whose model takes the other kind of input is rejected before broadcast.
 */
public enum InputFormat {
    /** One integer, as text: {@code 7}. */
    INT(64),
    /** Comma-separated numbers: {@code 0.5,-1.25,3}. */
    CSV(1024 * 1024),
    /** {@code {"id": "r-17", "features": [0.5, -1.25, 3]}}; the id (a string or number) is optional. */
    JSON(1024 * 1024),
    /**
     * Raw events: {@code {"ts": 1765000000000, "user": "u-17", "amount": 12.5}} — JSON objects of named
     * fields with an event time ({@code --time-field}); the feature spec of the model in force computes
     * the model's features from them and each key's history (docs/features.md). An optional {@code id}
     * and {@code model} as for {@code json}.
     */
    EVENTS(1024 * 1024);

    private final int maxInputBytes;

    InputFormat(int maxInputBytes) {
        this.maxInputBytes = maxInputBytes;
    }

    /** Longer inputs are rejected with that reason, before any parsing. */
    public int maxInputBytes() {
        return maxInputBytes;
    }

    /** Whether inputs are feature vectors — given, or computed from raw events — for feature models. */
    public boolean hasFeatures() {
        return this != INT;
    }
}
