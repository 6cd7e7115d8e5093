package io.modelcast.tcpsource;

import io.modelcast.cli.Durations;
import io.modelcast.cli.SyntheticConcept;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Labelled mode: records whose truth is known, and that truth a little later — what a live
 * evaluation needs. One client on the records port gets JSON records {@code {"id":"r-7","features":[…]}}
 * at {@code rate} per second, drawn from a {@link SyntheticConcept}; one client on the labels port
 * gets each record's label, {@code r-7,1}, {@code labelDelay} after the record. The concept changes
 * every {@code conceptEvery}, going round the list — the data drifts, in its features and in what
 * they mean. A client that goes away is waited for again; nothing is kept for it meanwhile (labels
 * are queued only while a labels client is connected).
 */
final class LabelledServer implements Closeable {

    private final ServerSocket records;
    private final ServerSocket labels;
    private final List<SyntheticConcept> concepts;
    private final List<Long> conceptSeeds;
    private final Duration conceptEvery;
    private final long rate;
    private final Duration labelDelay;
    private final PrintWriter log;
    private final ArrayDeque<Due> pending = new ArrayDeque<>();
    /** Whether a labels client is connected: labels are queued only for one. */
    private volatile boolean labelling;
    private volatile boolean closed;

    private record Due(long atNanos, String line) {}

    LabelledServer(InetAddress address, int port, int labelPort, List<Long> conceptSeeds, int features, Duration conceptEvery,
            long rate, Duration labelDelay, PrintWriter log) throws IOException {
        this.records = new ServerSocket(port, 5, address);
        try {
            this.labels = new ServerSocket(labelPort, 5, address);
        } catch (IOException e) {
            records.close();
            throw e;
        }
        this.conceptSeeds = List.copyOf(conceptSeeds);
        this.concepts = conceptSeeds.stream().map(seed -> new SyntheticConcept(seed, features)).toList();
        this.conceptEvery = conceptEvery;
        this.rate = rate;
        this.labelDelay = labelDelay;
        this.log = log;
    }

    int port() {
        return records.getLocalPort();
    }

    int labelPort() {
        return labels.getLocalPort();
    }

    /** Serves until closed: records in this thread, labels in another. */
    void serve() throws IOException {
        Thread labeller = new Thread(this::serveLabels, "tcpsource-labels");
        labeller.setDaemon(true);
        labeller.start();
        Random random = new Random(1);
        double[] row = new double[concepts.get(0).features()];
        long start = System.nanoTime();
        long id = 0;
        int concept = -1;
        while (!closed) {
            try (Socket client = records.accept(); OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
                // Paced from this connection on: records not drawn while no one listened are not sent in a burst.
                long connected = System.nanoTime();
                long firstId = id;
                while (!closed) {
                    long sinceConnected = System.nanoTime() - connected;
                    long due = firstId + (long) (sinceConnected / (1e9 / rate)) + 1;
                    if (id >= due) {
                        out.flush();
                        LockSupport.parkNanos((long) ((id - firstId) * (1e9 / rate)) - sinceConnected);
                        continue;
                    }
                    long elapsed = System.nanoTime() - start;
                    int now = (int) ((elapsed / conceptEvery.toNanos()) % concepts.size());
                    if (now != concept) {
                        concept = now;
                        log.println("tcpsource: concept " + conceptSeeds.get(concept) + " from record r-" + id);
                        log.flush();
                    }
                    int label = concepts.get(concept).draw(random, row);
                    StringBuilder line = new StringBuilder(16 + row.length * 10).append("{\"id\":\"r-").append(id).append("\",\"features\":[");
                    for (int j = 0; j < row.length; j++) {
                        line.append(j > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", row[j]));
                    }
                    out.write(line.append("]}\n").toString().getBytes(StandardCharsets.UTF_8));
                    if (labelling) {
                        synchronized (pending) {
                            pending.add(new Due(System.nanoTime() + labelDelay.toNanos(), "r-" + id + "," + label + "\n"));
                            pending.notifyAll();
                        }
                    }
                    id++;
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.println("tcpsource: the records client went away (" + e.getMessage() + "); waiting for the next");
                log.flush();
            }
        }
    }

    private void serveLabels() {
        while (!closed) {
            try (Socket client = labels.accept(); OutputStream out = client.getOutputStream()) {
                labelling = true;
                while (!closed) {
                    Due next;
                    synchronized (pending) {
                        while (pending.isEmpty() && !closed) {
                            pending.wait(100);
                        }
                        next = pending.peek();
                        if (next == null || next.atNanos() > System.nanoTime()) {
                            long wait = next == null ? 0 : next.atNanos() - System.nanoTime();
                            if (wait > 0) {
                                pending.wait(Math.max(1, wait / 1_000_000));
                            }
                            continue;
                        }
                        pending.poll();
                    }
                    out.write(next.line().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                labelling = false;
                synchronized (pending) {
                    pending.clear();
                }
                if (!closed) {
                    log.println("tcpsource: the labels client went away; waiting for the next");
                    log.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether a labels client is connected (labels are queued for it). */
    boolean labelling() {
        return labelling;
    }

    String describe() {
        return "labelled mode: " + rate + " records/s of " + concepts.get(0).features() + " features, concepts " + conceptSeeds
                + " each for " + Durations.format(conceptEvery) + ", labels " + Durations.format(labelDelay) + " later";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        records.close();
        labels.close();
    }
}
