package io.modelcast.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a JVM spent its time, from the execution samples of a flight recording (JFR ships with the
 * JDK): the share of samples per thread, and per method — on top of the stack (self) and anywhere
 * on it (total).
 *
 * @param samples execution samples in the recording
 * @param byThread share of samples per thread, largest first
 * @param selfByMethod share of samples per method on top of the stack, largest first
 * @param totalByMethod share of samples per method anywhere on the stack, largest first
 */
record JfrProfile(int samples, Map<String, Double> byThread, Map<String, Double> selfByMethod,
        Map<String, Double> totalByMethod) {

    static JfrProfile read(Path recording, int top) throws IOException {
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            RecordedThread thread = event.getThread("sampledThread");
            threads.merge(threadGroup(thread == null ? "?" : thread.getJavaName()), 1, Integer::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            self.merge(method(stack.getFrames().get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String method = method(frame);
                if (seen.add(method)) {
                    total.merge(method, 1, Integer::sum);
                }
            }
        }
        return new JfrProfile(samples, shares(threads, samples, top), shares(self, samples, top), shares(total, samples, top));
    }

    /** Thread names without their subtask suffix, so the tasks of one operator chain add up. */
    private static String threadGroup(String name) {
        return name.replaceAll(" \\(\\d+/\\d+\\)#\\d+$", "").replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>");
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static Map<String, Double> shares(Map<String, Integer> counts, int samples, int top) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> 100.0 * e.getValue() / Math.max(1, samples),
                        (a, b) -> a, LinkedHashMap::new));
    }
}
