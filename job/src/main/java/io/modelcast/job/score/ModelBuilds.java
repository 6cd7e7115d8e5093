package io.modelcast.job.score;

import io.modelcast.job.modelupdates.ValidatedModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionException;

/**
 * Live models being built off a scoring subtask's thread, so a large model (an ONNX session, a
 * logistic model with many weights) does not stall scoring while it loads: the subtask keeps
 * scoring with the model it has and switches, in one step, when {@link #takeReady()} hands it the
 * new one. Builds of every subtask in a TaskManager's JVM run one at a time on one shared daemon
 * thread, so a swap takes at most one core from scoring however many subtasks switch at once
 * (measured: two subtasks building a 10 MB ONNX model side by side on two cores stalled scoring for
 * up to 0.7 s). A subtask's builds finish, and are handed over, in the order they were submitted.
 *
 * <p>Used by its subtask's thread only (the build thread only runs the build function). A build
 * that throws is handed over as a failure, so the subtask can say so and keep what it has.
 */
final class ModelBuilds implements AutoCloseable {

    /** A finished build: the update and its live model, or why it could not be built. */
    record Ready(ValidatedModel update, LiveModel model, Exception failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /** Builds a live model from an update; may throw. */
    @FunctionalInterface
    interface Builder {
        LiveModel build(ValidatedModel update) throws Exception;
    }

    private record Build(ValidatedModel update, CompletableFuture<LiveModel> model) {}

    /** The one build thread of this JVM; started on the first build, a daemon, never stopped. */
    private static ExecutorService shared;

    private final Builder build;
    private final Deque<Build> queue = new ArrayDeque<>();
    private boolean closed;

    /** @param build builds a live model from an update; may throw */
    ModelBuilds(Builder build) {
        this.build = build;
    }

    private static synchronized ExecutorService executor() {
        if (shared == null) {
            shared = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "modelcast-model-build");
                thread.setDaemon(true);
                return thread;
            });
        }
        return shared;
    }

    /** Starts building {@code update}'s live model. */
    void submit(ValidatedModel update) {
        if (closed) {
            throw new IllegalStateException("model builds are closed");
        }
        ExecutorService executor = executor();
        queue.add(new Build(update, CompletableFuture.supplyAsync(() -> {
            try {
                return build.build(update);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor)));
    }

    /** Whether any build is still to be handed over. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The highest version of {@code name} being built, if any. */
    OptionalLong highestVersion(String name) {
        return queue.stream().filter(b -> b.update().name().equals(name))
                .mapToLong(b -> b.update().version()).max();
    }

    /** Whether a champion of {@code name} is being built. */
    boolean buildsChampionOf(String name) {
        return queue.stream().anyMatch(b -> b.update().name().equals(name) && !b.update().isChallenger());
    }

    /** The builds that have finished, in the order they were submitted; stops at the first still running. */
    List<Ready> takeReady() {
        List<Ready> ready = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().model().isDone()) {
            Build done = queue.poll();
            try {
                ready.add(new Ready(done.update(), done.model().join(), null));
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                ready.add(new Ready(done.update(), null, cause instanceof Exception ex ? ex : new RuntimeException(cause)));
            }
        }
        return ready;
    }

    /** Hands nothing over any more: models still being built are closed when they are done. */
    @Override
    public void close() {
        closed = true;
        for (Build pending : queue) {
            pending.model().thenAccept(LiveModel::close);
        }
        queue.clear();
    }
}
