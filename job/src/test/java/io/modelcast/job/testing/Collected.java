package io.modelcast.job.testing;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The elements of a stream of a running test job, collected in the background as they arrive.
 * Call {@link #of} before the job is executed and {@link #start} after: the iterator can only
 * fetch once the job has been submitted.
 */
public final class Collected<T> implements AutoCloseable {

    private final CloseableIterator<T> iterator;
    private final List<T> elements = new ArrayList<>();
    private final Thread drainer;

    private Collected(CloseableIterator<T> iterator, String name) {
        this.iterator = iterator;
        this.drainer = new Thread(this::drain, "collect-" + name);
        drainer.setDaemon(true);
    }

    public static <T> Collected<T> of(DataStream<T> stream, String name) {
        return new Collected<>(stream.collectAsync(), name);
    }

    /** Starts collecting; call once the job has been submitted. */
    public Collected<T> start() {
        drainer.start();
        return this;
    }

    private void drain() {
        try {
            while (iterator.hasNext()) {
                T next = iterator.next();
                synchronized (elements) {
                    elements.add(next);
                }
            }
        } catch (RuntimeException e) {
            // The job was cancelled: the iterator ends with an exception.
        }
    }

    /** Waits until the stream has ended (the job finished or was stopped); fails after {@code timeout}. */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        drainer.join(timeout.toMillis());
        if (drainer.isAlive()) {
            throw new AssertionError("the collected stream did not end within " + timeout.toSeconds() + " s");
        }
    }

    /** A copy of everything collected so far, in arrival order. */
    public List<T> snapshot() {
        synchronized (elements) {
            return new ArrayList<>(elements);
        }
    }

    public int size() {
        synchronized (elements) {
            return elements.size();
        }
    }

    public boolean anyMatch(Predicate<T> predicate) {
        synchronized (elements) {
            return elements.stream().anyMatch(predicate);
        }
    }

    @Override
    public void close() throws Exception {
        iterator.close();
    }
}
