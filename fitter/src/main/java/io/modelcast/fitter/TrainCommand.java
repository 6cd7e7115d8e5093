package io.modelcast.fitter;

import io.modelcast.cli.Durations;
import io.modelcast.cli.ExitCodes;
import io.modelcast.model.Evaluation;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.Model;
import io.modelcast.model.drift.Profile;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.TrainingFacts;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code fitter train}: the champion/challenger loop. Trains a logistic regression on a labelled
 * CSV file, evaluates it on a held-out part of the same file, evaluates the current model on that
 * same holdout, and publishes the challenger only if its log-loss is lower (or with {@code
 * --force}) — as a {@code logistic} model or exported to ONNX. The comparison and the publish
 * happen under the model directory's lock, so two trainers cannot both win against the same
 * champion.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a logistic regression (gradient descent on standardised features, fixed seed) on --data (or on the"
                    + " job's labelled examples: --from-kafka),"
                    + " evaluates it on a held-out split (accuracy, log-loss, AUC, recorded in the model file), and"
                    + " publishes it only if it beats the current model on that same holdout (lower log-loss)."
        })
final class TrainCommand implements Callable<Integer> {

    /** How the trained model is published: scored in plain Java, or as an ONNX graph. */
    enum Format { logistic, onnx }

    @Mixin ModelsOption models;

    @Mixin ChallengerOptions role;

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Labelled rows: a CSV header naming the columns, then numbers; the label column holds 0 or 1.")
    Path data;

    @Option(names = "--from-kafka", paramLabel = "TOPIC",
            description = "Train instead on the job's labelled examples (its --examples-topic) of this model name, from the"
                    + " last --window.")
    String fromKafka;

    @Option(names = "--from-files", paramLabel = "DIR",
            description = "Train instead on the job's labelled examples in this directory (its --examples-dir) of this model"
                    + " name, from files written in the last --window.")
    Path fromFiles;

    @Mixin EventsOptions events = new EventsOptions();

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Train again every DURATION on the newest window of examples (--from-kafka or --from-files),"
                    + " publishing each result (as a challenger, with --role challenger); until stopped, or --times rounds.")
    Duration every;

    @Option(names = "--times", paramLabel = "N", description = "With --every: stop after N rounds. Default: until stopped.")
    Long times;


    @Option(names = "--window", defaultValue = "1h", paramLabel = "DURATION",
            description = "With --from-kafka or --from-files: how far back examples are read. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--format", defaultValue = "logistic", paramLabel = "logistic|onnx",
            description = "Publish as a logistic model (scored in plain Java) or as an ONNX graph. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--holdout", defaultValue = "0.2", paramLabel = "SHARE", description = "Share of rows held out. Default: ${DEFAULT-VALUE}.")
    double holdout;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the holdout split. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--epochs", defaultValue = "300", paramLabel = "N", description = "Gradient-descent steps. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.5", paramLabel = "R", description = "Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T",
            description = "Score at or above which the label is 1. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--force", description = "Publish even if the current model does better on the holdout.")
    boolean force;

    @Spec CommandSpec spec;

    /** Thrown inside the directory lock when the challenger does not win; nothing is published. */
    private static final class NotBetter extends IOException {
        private static final long serialVersionUID = 1L;

        NotBetter(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws IOException {
        role.check(spec);
        if (!(holdout > 0 && holdout < 1) || epochs < 1 || !(learningRate > 0) || !(threshold >= 0 && threshold <= 1)) {
            throw new ParameterException(spec.commandLine(),
                    "--holdout must be between 0 and 1, --epochs at least 1, --learning-rate above 0, --threshold in [0, 1]");
        }
        if (Stream.of(data, fromKafka, fromFiles, events.file).filter(Objects::nonNull).count() != 1) {
            throw new ParameterException(spec.commandLine(),
                    "train on one of --data FILE.csv, --events FILE.jsonl, --from-kafka TOPIC or --from-files DIR");
        }
        events.check(spec);
        if (fromKafka != null) {
            models.bootstrapServers("--from-kafka");
        }
        if (window.isZero() || window.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--window must be longer than 0s");
        }
        if (every != null && (every.isZero() || every.isNegative() || data != null || events.file != null)) {
            throw new ParameterException(spec.commandLine(), "--every needs a duration above 0s, and examples of the job"
                    + " (--from-kafka or --from-files): a CSV file does not change between rounds");
        }
        if (times != null && (times < 1 || every == null)) {
            throw new ParameterException(spec.commandLine(), "--times N (at least 1) goes with --every");
        }
        if (every == null) {
            return trainOnce();
        }
        return loop();
    }

    /**
     * The loop: a round every {@code --every}, {@code --times} rounds or until stopped. A round that
     * publishes nothing (no examples yet, a challenger still running) is reported, and the loop goes on.
     */
    private int loop() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (long round = 1; times == null || round <= times; round++) {
            long started = System.nanoTime();
            out.println("round " + round + " (every " + Durations.format(every) + "):");
            try {
                trainOnce();
            } catch (IOException | RuntimeException e) {
                err.println("fitter train: round " + round + ": " + e.getMessage());
                err.flush();
            }
            if (times != null && round == times) {
                break;
            }
            long waitNanos = every.toNanos() - (System.nanoTime() - started);
            if (waitNanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
        }
        return ExitCodes.OK;
    }

    /** One round: trains, and publishes unless the current model does better (or, as a challenger, is refused). */
    private int trainOnce() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<FeatureSpec> features = events.featureSpec();
        LabelledData.Split split = trainingData(out, features).split(holdout, seed);
        LogisticModel trained = LogisticTrainer.evaluated(
                new LogisticTrainer(epochs, learningRate, 1e-4).fit(split.train(), threshold), split.holdout());
        out.println("challenger: " + describe(trained.evaluation()) + " (" + split.train().rows() + " rows trained on)");
        ModelDirectory directory = models.open();
        Profile profile = profileOf(trained, split.train());
        try {
            ModelFile published = role.publish(directory, newest -> {
                Optional<Evaluation> champion = championOn(newest, split.holdout(), out);
                // A challenger is judged on the stream, not on this holdout.
                if (champion.isPresent() && !trained.evaluation().beats(champion.get()) && !force && !role.challenger()) {
                    throw new NotBetter("not published: the current model (version " + newest.get().version()
                            + ") does as well or better on this holdout (log-loss " + fmt(champion.get().logLoss())
                            + " vs " + fmt(trained.evaluation().logLoss()) + "); --force publishes anyway");
                }
                return asFormat(trained);
            }, new TrainingFacts(Optional.of(profile), features), warning -> err.println("fitter train: warning: " + warning));
            out.println("published " + ModelDirectory.fileName(published.version()) + ": " + Describe.line(published));
            published.model().close();
            return ExitCodes.OK;
        } catch (NotBetter e) {
            out.println(e.getMessage());
            return ExitCodes.OK;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** How the training rows and the trained model's scores on them were distributed: the job measures drift against it. */
    private static Profile profileOf(LogisticModel trained, LabelledData rows) {
        double[] scores = new double[rows.rows()];
        trained.score(rows.features(), rows.rows(), scores);
        return Profile.of(rows.features(), rows.featureCount(), scores);
    }

    /** The rows to train on: the CSV file, the events, or the window of the job's examples on the topic or in the directory. */
    private LabelledData trainingData(PrintWriter out, Optional<FeatureSpec> features) throws IOException {
        if (data != null) {
            return LabelledData.read(data, labelColumn);
        }
        if (events.file != null) {
            EventsData read = EventsData.read(events.file, features.orElseThrow(), events.labelField, events.timeField);
            out.println("events: " + read.data().rows() + " rows of " + features.get().names() + " from " + events.file
                    + (read.skipped().isEmpty() ? "" : "; skipped " + read.skipped()));
            return read.data();
        }
        Examples.Read read = fromKafka != null ? ExamplesTopic.read(models.bootstrapServers("--from-kafka"), models.kafkaClients, fromKafka, window, models.name)
                : ExamplesFiles.read(fromFiles, window, models.name);
        out.println("examples: " + read.data().rows() + " of model " + models.name + " from "
                + (fromKafka != null ? fromKafka : fromFiles) + " (last " + Durations.format(window) + ")"
                + (read.skipped().isEmpty() ? "" : "; skipped " + new TreeMap<>(read.skipped())));
        return read.data();
    }

    /** The current model's evaluation on the holdout, if it is a feature model of the same width. */
    private Optional<Evaluation> championOn(Optional<ModelFile> newest, LabelledData holdoutRows, PrintWriter out) {
        if (newest.isEmpty()) {
            out.println("champion: none published yet");
            return Optional.empty();
        }
        Model model = newest.get().model();
        try {
            if (model instanceof FeatureModel features && features.featureCount() == holdoutRows.featureCount()) {
                Evaluation evaluation = Evaluation.of(features, holdoutRows.features(), holdoutRows.labels());
                out.println("champion: version " + newest.get().version() + ", " + describe(evaluation));
                return Optional.of(evaluation);
            }
            out.println("champion: version " + newest.get().version() + " (" + model.typeName()
                    + ") cannot score these " + holdoutRows.featureCount() + " features; the challenger replaces it");
            return Optional.empty();
        } finally {
            model.close();
        }
    }

    private Model asFormat(LogisticModel trained) throws IOException {
        if (format == Format.logistic) {
            return trained;
        }
        try {
            return new OnnxModel(LogisticOnnxExport.export(trained), trained.threshold(), LogisticOnnxExport.OUTPUT,
                    trained.evaluation());
        } catch (InvalidParametersException e) {
            throw new IOException("the ONNX export of the trained model does not load: " + e.getMessage(), e);
        }
    }

    static String describe(Evaluation e) {
        return String.format(Locale.ROOT, "holdout of %d rows: accuracy %.4f, log-loss %.4f, AUC %.4f",
                e.rows(), e.accuracy(), e.logLoss(), e.auc());
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
