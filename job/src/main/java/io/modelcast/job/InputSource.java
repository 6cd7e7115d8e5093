package io.modelcast.job;

/** Where the job reads its input: a TCP socket (the demo) or a Kafka topic (production). */
public enum InputSource {
    SOCKET,
    KAFKA
}
