package io.modelcast.job.options;

import picocli.CommandLine.Option;

import java.time.Duration;

/** Raw events ({@code --input-format events}): their time field, how late they may come, what results show, how long keys' state lives. */
public final class EventArgs {

    public static final String DEFAULT_TIME_FIELD = "ts";
    public static final String DEFAULT_MAX_OUT_OF_ORDERNESS = "5s";
    public static final String DEFAULT_FEATURE_STATE_TTL = "7d";

    @Option(names = "--time-field", paramLabel = "FIELD", defaultValue = DEFAULT_TIME_FIELD,
            description = "With --input-format events: the field holding each event's time, epoch milliseconds or an"
                    + " ISO-8601 instant. Default: ${DEFAULT-VALUE}.")
    String timeField;

    @Option(names = "--max-out-of-orderness", paramLabel = "DURATION", defaultValue = DEFAULT_MAX_OUT_OF_ORDERNESS,
            description = "With --input-format events: an event up to this much older than the newest of its key still"
                    + " counts, at its own time; an older one is rejected as late. Default: ${DEFAULT-VALUE}.")
    Duration maxOutOfOrderness;

    @Option(names = "--emit-features",
            description = "With --input-format events: each JSON result shows the features the model saw,"
                    + " \"features\":{name: value}.")
    boolean emitFeatures;

    @Option(names = "--feature-state-ttl", paramLabel = "DURATION", defaultValue = DEFAULT_FEATURE_STATE_TTL,
            description = "With --input-format events: a key's feature histories are dropped when it has had no event"
                    + " for this long (processing time). Default: ${DEFAULT-VALUE}.")
    Duration stateTtl;

    public EventOptions toOptions() {
        return new EventOptions(timeField, maxOutOfOrderness, emitFeatures, stateTtl);
    }
}
