package io.modelcast.console;

import io.javalin.http.sse.SseClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The page's live view: every {@link #PERIOD_MILLIS} ms one snapshot (the newest version of each
 * model name, the version and counters of every scoring subtask) is read once and sent to every open
 * page as a server-sent event {@code live}. A page that goes away is dropped.
 */
final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** How often a snapshot is sent: with Flink's metrics refreshed twice a second, a swap shows within a second or so. */
    static final long PERIOD_MILLIS = 250;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-live-feed");
        thread.setDaemon(true);
        return thread;
    });

    LiveFeed(Supplier<String> snapshot) {
        timer.scheduleWithFixedDelay(() -> {
            if (clients.isEmpty()) {
                return;
            }
            String data;
            try {
                data = snapshot.get();
            } catch (RuntimeException e) {
                LOG.warn("Could not read the live snapshot: {}", e.toString());
                return;
            }
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                } else {
                    client.sendEvent("live", data);
                }
            }
        }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Keeps {@code client} open and sends it every snapshot until it goes away. */
    void add(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
    }

    int clients() {
        return clients.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
