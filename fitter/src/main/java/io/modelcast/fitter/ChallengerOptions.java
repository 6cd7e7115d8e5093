package io.modelcast.fitter;

import io.modelcast.model.drift.Profile;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.rollout.Rollout;
import io.modelcast.model.rollout.RolloutSpec;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * How the commands that publish a model (fit, train, publish, publish-remote) publish it: as the
 * name's champion (the default), or with {@code --role challenger --rollout shadow|canary:PERCENT}
 * as its challenger, with the policy that decides its promotion.
 */
final class ChallengerOptions {

    /** Which role a published version takes. */
    enum Role { champion, challenger }

    @Option(names = "--role", defaultValue = "champion", paramLabel = "champion|challenger",
            description = "champion replaces the name's model; challenger runs beside it (needs --rollout). Default: ${DEFAULT-VALUE}.")
    Role role;

    @Option(names = "--rollout", paramLabel = "shadow|canary:PERCENT", converter = RolloutConverter.class,
            description = "How a challenger runs: shadow scores every record beside the champion (its results go to the"
                    + " shadow output only); canary:PERCENT scores that share of records in its place, chosen by their id.")
    RolloutSpec rollout;

    @Option(names = "--promote-after", defaultValue = "10000", paramLabel = "N",
            description = "Records the challenger must score before it can be promoted. Default: ${DEFAULT-VALUE}.")
    long promoteAfter;

    @Option(names = "--max-error-rate", defaultValue = "0.01", paramLabel = "RATE",
            description = "Share of its records a challenger may fail on (0 to 1); above it, it is retired. Default: ${DEFAULT-VALUE}.")
    double maxErrorRate;

    @Option(names = "--max-score-shift", defaultValue = "0.25", paramLabel = "PSI",
            description = "Largest population stability index between the challenger's and the champion's score"
                    + " histograms; above it, the challenger is retired. Default: ${DEFAULT-VALUE}.")
    double maxScoreShift;

    @Option(names = "--min-auc", paramLabel = "AUC",
            description = "With labels (the job's --label-port or --label-topic): the lowest AUC the challenger may show on"
                    + " its labelled records; below it, it is retired, and it is promoted only once --promote-after of its"
                    + " records are labelled. Default: no bound.")
    Double minAuc;

    @Option(names = "--max-logloss", paramLabel = "LOSS",
            description = "With labels: the highest mean log-loss on the challenger's labelled records. Default: no bound.")
    Double maxLogLoss;

    /**
     * Rejects contradictory options as usage errors.
     *
     * @throws ParameterException saying which options go together
     */
    void check(CommandSpec spec) {
        if (role == Role.challenger && rollout == null) {
            throw new ParameterException(spec.commandLine(), "--role challenger needs --rollout shadow or --rollout canary:PERCENT");
        }
        if (role == Role.champion && rollout != null) {
            throw new ParameterException(spec.commandLine(), "--rollout is for a challenger: add --role challenger");
        }
        if ((minAuc != null || maxLogLoss != null) && (rollout == null || rollout.mode() != Rollout.Mode.CANARY)) {
            throw new ParameterException(spec.commandLine(), "--min-auc and --max-logloss judge a canary's labelled results:"
                    + " they go with --role challenger --rollout canary:PERCENT (a shadow's outcomes are not labelled)");
        }
        try {
            policy();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().replace("promoteAfter", "--promote-after")
                    .replace("maxErrorRate", "--max-error-rate").replace("maxScoreShift", "--max-score-shift")
                    .replace("minAuc", "--min-auc").replace("maxLogLoss", "--max-logloss"));
        }
    }

    Rollout.Policy policy() {
        return new Rollout.Policy(promoteAfter, maxErrorRate, maxScoreShift,
                minAuc == null ? OptionalDouble.empty() : OptionalDouble.of(minAuc),
                maxLogLoss == null ? OptionalDouble.empty() : OptionalDouble.of(maxLogLoss));
    }

    /** Publishes {@code next} in the role chosen. */
    ModelFile publish(ModelDirectory directory, ModelDirectory.NextModel next, Consumer<String> warnings) throws IOException {
        return publish(directory, next, TrainingFacts.none(), warnings);
    }

    /** Publishes {@code next} in the role chosen, with what its training knew (its data's profile, its feature spec). */
    ModelFile publish(ModelDirectory directory, ModelDirectory.NextModel next, TrainingFacts training, Consumer<String> warnings)
            throws IOException {
        return role == Role.challenger
                ? directory.publishChallenger(next, rollout, policy(), training, warnings)
                : directory.publish(next, training, warnings);
    }

    boolean challenger() {
        return role == Role.challenger;
    }

    static final class RolloutConverter implements ITypeConverter<RolloutSpec> {
        @Override
        public RolloutSpec convert(String value) {
            try {
                return RolloutSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
