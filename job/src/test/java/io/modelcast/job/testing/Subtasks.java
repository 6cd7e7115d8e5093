package io.modelcast.job.testing;

import io.modelcast.job.records.Result;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Waits on what the scoring subtasks of a running test job emit. */
public final class Subtasks {

    private Subtasks() {}

    /** Waits until the latest result of every one of {@code subtasks} carries {@code version}. */
    public static void awaitAllScoreWith(Collected<Result> scored, int subtasks, long version, Duration timeout)
            throws InterruptedException {
        Await.until("all " + subtasks + " subtasks score with model version " + version, timeout, () -> {
            Map<Integer, Long> latest = new HashMap<>();
            for (Result record : scored.snapshot()) {
                latest.put(record.subtask(), record.modelVersion());
            }
            return IntStream.range(0, subtasks).allMatch(s -> latest.getOrDefault(s, 0L) == version);
        });
    }
}
