package io.modelcast.fitter;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcast.cli.ExitCodes;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.IntegerModel;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemotePredictClient;
import io.modelcast.model.Model;
import io.modelcast.model.ModelProbe;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileException;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code fitter transform}: the seed's debug loop. Loads the current model and prints what it
 * makes of the inputs 0..19, every {@code --interval}, or once.
 */
@Command(
        name = "transform",
        mixinStandardHelpOptions = true,
        description = {
            "Prints what the current model (DIR/model-current.json, or else the newest valid"
                    + " model) does to the inputs 0..19 (an integer model) or to a few vectors (a feature model),"
                    + " every --interval until stopped."
        })
final class TransformCommand implements Callable<Integer> {

    /** The inputs the seed's debug loop printed. */
    static final int INPUTS = 20;

    @Mixin ModelsOption models;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "How often to load the model and print. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--once", description = "Print once and exit.")
    boolean once;

    @Option(
            names = "--input",
            paramLabel = "X1,X2,…",
            description = "For a feature model: a vector to score (repeatable). Default: the probe vectors — all 0, all 1,"
                    + " all -1, all 0.5, all 1000, all -1000.")
    List<String> vectors;

    @Spec CommandSpec spec;

    /** One line per vector: the vector, its score and its label. */
    private void printScores(FeatureModel model, PrintWriter out) {
        List<float[]> rows = new ArrayList<>();
        if (vectors == null || vectors.isEmpty()) {
            for (float value : ModelProbe.FEATURE_VALUES) {
                float[] row = new float[model.featureCount()];
                Arrays.fill(row, value);
                rows.add(row);
            }
        } else {
            for (String vector : vectors) {
                String[] cells = vector.split(",");
                float[] row = new float[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    try {
                        row[i] = Float.parseFloat(cells[i].strip());
                    } catch (NumberFormatException e) {
                        throw new ParameterException(spec.commandLine(), "--input " + vector + ": '" + cells[i] + "' is not a number");
                    }
                }
                if (row.length != model.featureCount()) {
                    throw new ParameterException(spec.commandLine(), "--input " + vector + " has " + row.length
                            + " features; the model takes " + model.featureCount());
                }
                rows.add(row);
            }
        }
        for (float[] row : rows) {
            double score = model.score(row);
            String shown = row.length > 6
                    ? Arrays.toString(Arrays.copyOf(row, 6)).replace("]", ", …] (" + row.length + " features)")
                    : Arrays.toString(row);
            out.printf(Locale.ROOT, "%s -> score %.6f, label %d%n", shown, score, model.label(score));
        }
    }

    /**
     * Asks the server a remote model points to: for the integers 0..19, or for the {@code --input}
     * vectors, in one request; false (and why, on standard error) if it does not answer.
     */
    private boolean printRemote(RemoteModel model, PrintWriter out, PrintWriter err) {
        List<String> shown = new ArrayList<>();
        StringJoiner instances = new StringJoiner(",", "[", "]");
        if (vectors == null || vectors.isEmpty()) {
            for (int input = 0; input < INPUTS; input++) {
                shown.add(Integer.toString(input));
                instances.add(Integer.toString(input));
            }
        } else {
            for (String vector : vectors) {
                shown.add("[" + vector + "]");
                instances.add("[" + parseVector(vector).stream().map(String::valueOf).collect(Collectors.joining(",")) + "]");
            }
        }
        RemotePredictClient.Answer answer;
        try (RemotePredictClient client = new RemotePredictClient()) {
            answer = client.predict(model, instances.toString(), shown.size())
                    .get(RemotePredictClient.longestCall(model).toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            answer = new RemotePredictClient.Failed(e.toString(), 0);
        }
        if (answer instanceof RemotePredictClient.Failed failed) {
            err.println("fitter transform: " + model.predictUri() + " did not score: " + failed.reason());
            return false;
        }
        List<JsonNode> predictions = ((RemotePredictClient.Predictions) answer).predictions();
        try {
            if (vectors == null || vectors.isEmpty()) {
                StringJoiner outputs = new StringJoiner(" ");
                predictions.forEach(p -> outputs.add(RemoteModel.text(p)));
                out.println(outputs);
            } else {
                for (int i = 0; i < shown.size(); i++) {
                    double score = RemoteModel.score(predictions.get(i));
                    out.printf(Locale.ROOT, "%s -> score %.6f, label %d%n", shown.get(i), score, model.label(score));
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("fitter transform: " + model.predictUri() + " answered something else than predictions: " + e.getMessage());
            return false;
        }
        return true;
    }

    private List<Float> parseVector(String vector) {
        List<Float> values = new ArrayList<>();
        for (String cell : vector.split(",")) {
            try {
                values.add(Float.parseFloat(cell.strip()));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--input " + vector + ": '" + cell + "' is not a number");
            }
        }
        return values;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be longer than 0s");
        }
        ModelDirectory directory = models.openExisting();
        while (true) {
            boolean printed = printOnce(directory);
            if (once) {
                return printed ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private boolean printOnce(ModelDirectory directory) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Optional<ModelFile> current =
                    directory.current(e -> err.println("fitter transform: warning: skipped " + e.getMessage()));
            if (current.isEmpty()) {
                err.println("fitter transform: no model is published in " + directory.describe() + " yet");
                return false;
            }
            ModelFile model = current.get();
            try (Model live = model.model()) {
                out.println("model " + Describe.line(model));
                if (live instanceof IntegerModel integers) {
                    StringJoiner outputs = new StringJoiner(" ");
                    for (int input = 0; input < INPUTS; input++) {
                        outputs.add(integers.transform(input));
                    }
                    out.println(outputs);
                } else if (live instanceof FeatureModel features) {
                    printScores(features, out);
                } else if (live instanceof RemoteModel remote) {
                    return printRemote(remote, out, err);
                }
            }
            return true;
        } catch (ModelFileException e) {
            err.println("fitter transform: error: " + e.getMessage());
            return false;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
