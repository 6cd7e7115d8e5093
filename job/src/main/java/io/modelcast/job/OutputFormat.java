package io.modelcast.job;

/** How scored records are printed: {@code text} (the model's output, as the seed printed it) or {@code json}. */
public enum OutputFormat {
    TEXT,
    JSON
}
