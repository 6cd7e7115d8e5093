package io.modelcast.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the remote step made of one input of a {@link RemoteRequest}, for the step that sorts the
 * outcomes into the job's outputs: a result, a rejection, or — for a shadow challenger — a shadow
 * line. An outcome of a challenger's request also says what the challenger made of the input
 * ({@link Challenged}), for its rollout's figures. Travels between tasks only (never in state), with
 * its own serializer ({@link RemoteOutcomeSerializer}).
 */
@TypeInfo(RemoteOutcome.Info.class)
public sealed interface RemoteOutcome {

    /** What a challenger made of the input, if the request was a challenger's. */
    Optional<Challenged> challenger();

    /**
     * An input's result: the remote model's, or that of the model that stood in for a failed call
     * (its fallback model, or a canary's champion).
     */
    record Scored(Result result, Optional<Challenged> challenger) implements RemoteOutcome {
        public Scored {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(challenger, "challenger");
        }
    }

    /** An input no model could score, with the reason. */
    record Rejected(RejectedRecord rejected, Optional<Challenged> challenger) implements RemoteOutcome {
        public Rejected {
            Objects.requireNonNull(rejected, "rejected");
            Objects.requireNonNull(challenger, "challenger");
        }
    }

    /** A shadow challenger's outcome beside the champion's, as one shadow line: nothing goes to the results. */
    record Shadowed(String line, Challenged challenged, boolean agreed) implements RemoteOutcome {
        public Shadowed {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(challenged, "challenged");
        }

        @Override
        public Optional<Challenged> challenger() {
            return Optional.of(challenged);
        }
    }

    /**
     * What a remote challenger made of one input.
     *
     * @param model the name of the model
     * @param championVersion the champion it was rolled out against
     * @param challengerVersion the challenger
     * @param failed whether its call failed, or its answer could not be read, for this input
     * @param score its score, for a feature model that answered
     * @param nanosPerInput the call's time, from the request to the answer, divided among its inputs
     */
    record Challenged(String model, long championVersion, long challengerVersion, boolean failed, OptionalDouble score,
            long nanosPerInput) {
        public Challenged {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(score, "score");
        }
    }

    /** Flink's type information for outcomes: {@link RemoteOutcomeSerializer}, never reflection or Kryo. */
    final class Info extends TypeInfoFactory<RemoteOutcome> {
        @Override
        public TypeInformation<RemoteOutcome> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(RemoteOutcome.class, RemoteOutcomeSerializer.INSTANCE);
        }
    }
}
