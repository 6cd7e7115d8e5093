package io.modelcast.job.events;

import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.model.features.FeatureComputer;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.features.FeatureSpecException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The feature spec in force for each model name, as both events operators ({@link KeyEvents},
 * {@link ComputeFeatures}) keep it: the spec of the newest champion of the name, in broadcast state
 * (its version and the spec's JSON, standard serializers) and as a {@link FeatureComputer} ready to
 * use. A challenger is fed its champion's features, so only champions change a spec. Every subtask
 * sees the same updates in the same order, so every subtask ends with the same specs.
 */
final class SpecsInForce {

    /** Broadcast state of both events operators: per model name, the champion's version and its spec's JSON. */
    static final MapStateDescriptor<String, Tuple2<Long, String>> DESCRIPTOR =
            new MapStateDescriptor<>("feature-specs", Types.STRING, Types.TUPLE(Types.LONG, Types.STRING));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long latenessMillis;
    private final Map<String, FeatureComputer> computers = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();

    SpecsInForce(long latenessMillis) {
        this.latenessMillis = latenessMillis;
    }

    /** Takes the specs of restored broadcast state. */
    void restore(BroadcastState<String, Tuple2<Long, String>> state) throws Exception {
        for (Map.Entry<String, Tuple2<Long, String>> entry : state.entries()) {
            put(entry.getKey(), entry.getValue().f0, parse(entry.getValue().f1));
        }
    }

    /**
     * Takes the spec of a champion newer than the one in force for its name, into {@code state} too.
     *
     * @return the new computer, if the spec changed (not when a new version keeps the same spec)
     */
    Optional<FeatureComputer> apply(ValidatedModel update, BroadcastState<String, Tuple2<Long, String>> state) throws Exception {
        if (update.isChallenger() || update.featureSpec().isEmpty()
                || update.version() <= versions.getOrDefault(update.name(), Long.MIN_VALUE)) {
            return Optional.empty();
        }
        FeatureSpec spec = update.featureSpec().get();
        FeatureComputer before = computers.get(update.name());
        state.put(update.name(), Tuple2.of(update.version(), spec.toJson().toString()));
        put(update.name(), update.version(), spec);
        return before != null && before.spec().equals(spec) ? Optional.empty() : Optional.of(computers.get(update.name()));
    }

    private void put(String name, long version, FeatureSpec spec) {
        versions.put(name, version);
        computers.put(name, new FeatureComputer(spec, latenessMillis));
    }

    /** The computer of model {@code name}'s spec in force, or null if it has none. */
    FeatureComputer get(String name) {
        return computers.get(name);
    }

    /** The version of the model whose spec is in force for {@code name}; {@link Long#MIN_VALUE} if none. */
    long version(String name) {
        return versions.getOrDefault(name, Long.MIN_VALUE);
    }

    boolean isEmpty() {
        return computers.isEmpty();
    }

    private static FeatureSpec parse(String json) throws IOException {
        try {
            return FeatureSpec.fromJson(JSON.readTree(json));
        } catch (FeatureSpecException e) {
            throw new IOException("a feature spec in broadcast state is not one this build reads: " + e.getMessage(), e);
        }
    }
}
