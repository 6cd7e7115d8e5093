package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RecordOrigin;

import java.nio.charset.StandardCharsets;

/**
 * Which records a canary scores: those whose id hashes below the canary's share. The id is the JSON
 * input's {@code id}, else the Kafka record's key, else its partition and offset (or a socket line's
 * sequence number, when lines are numbered for a database), else the input's text. The hash (64-bit FNV-1a of the model name and the
 * id) depends on nothing else — not the subtask, the version, the time or the JVM — so the same id
 * lands on the same side on every subtask and after every restore, and a user stays in or out of
 * the canary while it runs. Stateless and thread-safe.
 */
final class CanarySplit {

    /** Shares are resolved to one in this many (0.01 %). */
    static final int BUCKETS = 10_000;

    private CanarySplit() {}

    /** Whether input {@code i} of {@code batch}, for model {@code name}, goes to a canary scoring {@code percent} %. */
    static boolean toCanary(String name, InputBatch batch, int i, double percent) {
        return bucket(seed(name), batch, i) < buckets(percent);
    }

    /** How many buckets a canary scoring {@code percent} % takes. */
    static long buckets(double percent) {
        return Math.round(percent * (BUCKETS / 100.0));
    }

    /** The hash of a name, with which its records' ids are hashed: computed once per batch, not per record. */
    static long seed(String name) {
        return (fnv(OFFSET, name.getBytes(StandardCharsets.UTF_8)) ^ 0xff) * PRIME;
    }

    /** The input's bucket, 0 to {@link #BUCKETS} - 1. */
    static int bucket(String name, InputBatch batch, int i) {
        return bucket(seed(name), batch, i);
    }

    /** The input's bucket for the name whose {@link #seed} is {@code seed}. */
    static int bucket(long seed, InputBatch batch, int i) {
        long hash = seed;
        String id = batch.id(i);
        RecordOrigin origin = batch.origin(i);
        if (id != null) {
            hash = fnv(hash, id.getBytes(StandardCharsets.UTF_8));
        } else if (origin != null && origin.key != null) {
            hash = fnv(hash, origin.key);
        } else if (origin != null) {
            hash = fnv(hash, (origin.partition + "@" + origin.offset).getBytes(StandardCharsets.US_ASCII));
        } else {
            hash = fnv(hash, batch.text(i).getBytes(StandardCharsets.UTF_8));
        }
        return (int) Long.remainderUnsigned(mix(hash), BUCKETS);
    }

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private static long fnv(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        return hash;
    }

    /** A final avalanche (from MurmurHash3's fmix64), so ids that differ in their last character spread evenly. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
