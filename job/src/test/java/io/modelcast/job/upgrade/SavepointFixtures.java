package io.modelcast.job.upgrade;

import io.modelcast.cli.EnumNames;
import io.modelcast.job.JobArguments;
import io.modelcast.job.JobOptions;
import io.modelcast.job.kafka.KafkaOptions.Delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the committed savepoint fixtures hold, shared by {@link SavepointFixtureWriter} (which makes
 * them with the build of its day) and {@link SavepointRestoreITCase} (which restores them with
 * today's): the job options, the topics and the inputs. Change nothing here that a fixture depends
 * on without writing the fixtures again.
 *
 * <p>Fixtures live in {@code src/test/resources/savepoints/<build>/<fixture>/}: the savepoint's
 * files and {@code fixture.properties} with what the writer observed.
 */
final class SavepointFixtures {

    /** The build the first fixtures were written with (the commit before the core redesign). */
    static final String BUILD = "v1-4311a9b";

    /**
     * The build the remote fixture was written with: the one after the core redesign, before the
     * records of the remote hop change (their classes are as in {@link #BUILD}).
     */
    static final String REMOTE_BUILD = "v2-e84b367";

    /**
     * The socket job with remote scoring stopped while {@link #IN_FLIGHT_LINES} calls were in flight
     * to a server that never answers, with a pointer (version 2) that falls back to version 1.
     */
    static final String SOCKET_REMOTE_IN_FLIGHT = "socket-remote-inflight";

    static final List<String> IN_FLIGHT_LINES = IntStream.range(0, 10).mapToObj(i -> Integer.toString(i + 3)).toList();

    /** The socket job stopped while its scoring subtasks held {@link #HELD_LINES} and had no model. */
    static final String SOCKET_PENDING = "socket-pending";

    /**
     * The socket job stopped while champion version 1 and canary challenger version 2 (50 %, policy:
     * promote after 1,000,000 records, error rate 0.01, score shift 0.25) scored on both subtasks.
     */
    static final String SOCKET_CANARY = "socket-canary";

    /** The socket job stopped with model version 2 in its broadcast state. */
    static final String SOCKET_MODEL = "socket-model";

    /**
     * The Kafka job stopped while inputs were still arriving, scoring with model version 1. Its run
     * delivered at least once: an exactly-once savepoint holds the sinks' committables, which name
     * producer ids of the writer's broker, and a restore on any other broker fails to commit them
     * (InvalidPidMappingException) — the Kafka connector's own state, not this project's. The
     * restore runs exactly once, as in production, from the state of every other operator.
     */
    static final String KAFKA_MIDSTREAM = "kafka-midstream";

    static final int SCORING_PARALLELISM = 2;

    /** The lines the pending fixture's job had read, and held, when it stopped. */
    static final List<String> HELD_LINES = IntStream.range(0, 100).mapToObj(Integer::toString).toList();

    static final String INPUT_TOPIC = "upgrade-s0";
    static final String OUTPUT_TOPIC = "upgrade-s2";
    static final String DEAD_LETTER_TOPIC = "upgrade-dlq";
    static final String GROUP = "upgrade-fixture";
    static final int PARTITIONS = 2;

    /** How many inputs each partition of the input topic has, in the fixture run and in the restore test. */
    static final int INPUTS_PER_PARTITION = 2_000;

    private SavepointFixtures() {}

    /** The input at an offset: an integer, or, at every 97th offset from 13, a line that is not one. */
    static String input(int partition, long offset) {
        return offset % 97 == 13 ? "not a number at " + partition + "@" + offset : Long.toString((offset + partition) % 20);
    }

    static String key(int partition, long offset) {
        return partition + "-" + offset;
    }

    static JobOptions socketOptions(int port, URI models) {
        return JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORING_PARALLELISM));
    }

    static JobOptions kafkaOptions(String bootstrapServers, URI models, Delivery delivery) {
        return JobArguments.parse("--source", "kafka", "--bootstrap-servers", bootstrapServers,
                "--delivery", EnumNames.of(delivery), "--input-topic", INPUT_TOPIC, "--output-topic", OUTPUT_TOPIC,
                "--dead-letter-topic", DEAD_LETTER_TOPIC, "--group-id", GROUP, "--starting-offsets", "earliest",
                "--models", models.toString(), "--checkpoint-interval", "500ms", "--model-poll-interval", "100ms");
    }

    static JobOptions remoteOptions(int port, URI models) {
        return JobArguments.parse("--port", Integer.toString(port), "--models", models.toString(),
                "--model-poll-interval", "100ms", "--parallelism", Integer.toString(SCORING_PARALLELISM),
                "--remote-requests", "16", "--batch-size", "1");
    }

    /**
     * The build of the socket fixtures written last: after the core redesign and the typed records,
     * before model names and roles (issue 15) changed the broadcast and source state.
     */
    static final String NAMES_BUILD = "v3-6af8eec";

    /**
     * The build of the last remote fixture: with model names and roles, before remote challengers
     * gave each remote request a purpose and its stand-in an age (request format 2).
     */
    static final String REMOTE_CHALLENGERS_BUILD = "v4-e7779c6";

    /**
     * The build of the canary fixture: with roles and labels, before a challenger's policy could hold
     * evaluation bounds (model format 2 of the broadcast state).
     */
    static final String EVALUATION_BOUNDS_BUILD = "v5-92c5f87";

    /**
     * The build of the newest socket fixtures: with the model store, profiles and evaluation bounds
     * (model format 4, input batches of format 2), before stateful features added a feature spec to
     * each model and a spec fingerprint to each input.
     */
    static final String FEATURE_SPECS_BUILD = "v6-3932262";

    /** The committed fixture's directory, from the test class path: the oldest build that wrote it. */
    static Path committed(String fixture) {
        return committed(fixture.equals(SOCKET_REMOTE_IN_FLIGHT) ? REMOTE_BUILD : BUILD, fixture);
    }

    /** A fixture as {@code build} wrote it. */
    static Path committed(String build, String fixture) {
        String resource = "savepoints/" + build + "/" + fixture + "/fixture.properties";
        URL url = SavepointFixtures.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no savepoint fixture " + resource + " on the test class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
