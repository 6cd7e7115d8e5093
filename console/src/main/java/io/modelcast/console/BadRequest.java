package io.modelcast.console;

/** A request the console cannot answer as asked: answered 400 (or another 4xx) with this message. */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequest(String message) {
        this(400, message);
    }

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
