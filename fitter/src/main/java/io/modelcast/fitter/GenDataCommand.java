package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.cli.SyntheticConcept;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code fitter gen-data}: a labelled data set for demos and tests. Each feature is normal with its
 * own mean and spread (so standardisation matters); the label is drawn from a logistic model of
 * the standardised features whose weights come from {@code --concept}, so data sets with
 * different {@code --seed}s and the same concept are fresh samples of one problem.
 */
@Command(
        name = "gen-data",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a labelled data set as CSV: a header f0,f1,…,label, then one row per line — the features,"
                    + " then a label of 0 or 1. With --events, raw purchase events as JSON lines instead, labelled by"
                    + " the user's history. To stdout, or to --output."
        })
final class GenDataCommand implements Callable<Integer> {

    @Option(names = "--rows", required = true, paramLabel = "N", description = "How many rows.")
    int rows;

    @Option(names = "--features", paramLabel = "K", description = "How many features per row (not with --events).")
    Integer features;

    @Option(names = "--events", description = "Raw events instead of rows: {\"id\", \"ts\", \"user\", \"amount\", \"label\"} per line,"
            + " --rows of them in event-time order; the label is 1 when the amount is over twice the user's recent mean.")
    boolean events;

    @Option(names = "--users", defaultValue = "200", paramLabel = "N", description = "With --events: how many users."
            + " Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the rows. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--concept", defaultValue = "42", paramLabel = "C",
            description = "Seed of the hidden model that labels the rows: keep it to sample the same problem again."
                    + " Default: ${DEFAULT-VALUE}.")
    long concept;

    @Option(names = "--no-label", description = "Write features only, without header or label: input for the job (--input-format csv).")
    boolean noLabel;

    @Option(names = "--output", paramLabel = "FILE", description = "Write here (atomically) instead of to stdout.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (events ? features != null || noLabel || users < 1 : features == null) {
            throw new ParameterException(spec.commandLine(), events ? "--events takes --rows and --users (at least 1),"
                    + " not --features or --no-label" : "Missing --features K (or --events)");
        }
        if (rows < 1 || (features != null && features < 1)) {
            throw new ParameterException(spec.commandLine(), "--rows and --features must be at least 1");
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            write(out);
            out.flush();
            return ExitCodes.OK;
        }
        Path temp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".tmp");
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8))) {
            write(writer);
        }
        Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return ExitCodes.OK;
    }

    private void write(Writer out) throws IOException {
        if (events) {
            new SyntheticEvents(seed, users).write(out, rows);
            return;
        }
        SyntheticConcept hidden = new SyntheticConcept(concept, features);
        Random random = new Random(seed);
        StringBuilder line = new StringBuilder();
        if (!noLabel) {
            for (int j = 0; j < features; j++) {
                line.append('f').append(j).append(',');
            }
            out.write(line.append("label\n").toString());
        }
        double[] row = new double[features];
        for (int i = 0; i < rows; i++) {
            line.setLength(0);
            int label = hidden.draw(random, row);
            for (int j = 0; j < features; j++) {
                line.append(String.format(Locale.ROOT, "%.4f", row[j]));
                line.append(j + 1 < features || !noLabel ? "," : "");
            }
            if (!noLabel) {
                line.append(label);
            }
            out.write(line.append('\n').toString());
        }
    }
}
