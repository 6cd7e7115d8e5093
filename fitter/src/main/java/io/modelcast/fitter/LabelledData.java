package io.modelcast.fitter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Labelled rows read from a CSV file with a header: every column but the label is a feature
 * (a number), the label is 0 or 1. Features are kept row-major in one {@code float[]}, as models
 * score them.
 *
 * @param featureNames the header's feature columns, in order
 * @param features {@code rows × featureNames.size()} values, row after row
 * @param labels 0 or 1 per row
 */
record LabelledData(List<String> featureNames, float[] features, int[] labels) {

    int rows() {
        return labels.length;
    }

    int featureCount() {
        return featureNames.size();
    }

    /**
     * Reads a CSV file.
     *
     * @throws IOException naming the file, line and problem: no header, no such label column, a
     *     row of the wrong length, a value that is not a finite number, a label other than 0 or 1
     */
    static LabelledData read(Path file, String labelColumn) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IOException(file + " is empty; expected a header line naming the columns");
            }
            List<String> columns = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
            int label = columns.indexOf(labelColumn);
            if (label < 0) {
                throw new IOException(file + " has no column '" + labelColumn + "' (its columns: " + String.join(", ", columns) + ")");
            }
            if (columns.size() < 2) {
                throw new IOException(file + " has no feature columns besides '" + labelColumn + "'");
            }
            List<String> featureNames = new ArrayList<>(columns);
            featureNames.remove(label);
            int k = featureNames.size();
            float[] features = new float[1024 * k];
            int[] labels = new int[1024];
            int rows = 0;
            int lineNumber = 1;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw new IOException(file + " line " + lineNumber + ": " + cells.length + " values, but the header has "
                            + columns.size() + " columns");
                }
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, rows * 2);
                    features = Arrays.copyOf(features, rows * 2 * k);
                }
                int j = 0;
                for (int c = 0; c < cells.length; c++) {
                    String cell = cells[c].strip();
                    if (c == label) {
                        if (!cell.equals("0") && !cell.equals("1")) {
                            throw new IOException(file + " line " + lineNumber + ": label '" + cell + "' is not 0 or 1");
                        }
                        labels[rows] = cell.charAt(0) - '0';
                    } else {
                        features[rows * k + j++] = number(cell, file, lineNumber, columns.get(c));
                    }
                }
                rows++;
            }
            if (rows == 0) {
                throw new IOException(file + " has a header but no rows");
            }
            return new LabelledData(featureNames, Arrays.copyOf(features, rows * k), Arrays.copyOf(labels, rows));
        }
    }

    private static float number(String cell, Path file, int line, String column) throws IOException {
        try {
            float value = Float.parseFloat(cell);
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + " line " + line + ": '" + cell + "' in column " + column + " is not a finite number");
    }

    /** The rows in a fixed random order ({@code seed}), split into a training part and the last {@code holdout} share. */
    Split split(double holdout, long seed) {
        int n = rows();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Collections.shuffle(Arrays.asList(order), new Random(seed));
        int test = (int) Math.round(n * holdout);
        if (test < 1 || test >= n) {
            throw new IllegalArgumentException("a holdout of " + holdout + " leaves no rows to train or to test on ("
                    + n + " rows)");
        }
        return new Split(subset(order, 0, n - test), subset(order, n - test, n));
    }

    private LabelledData subset(Integer[] order, int from, int to) {
        int k = featureCount();
        float[] f = new float[(to - from) * k];
        int[] l = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(features, order[i] * k, f, (i - from) * k, k);
            l[i - from] = labels[order[i]];
        }
        return new LabelledData(featureNames, f, l);
    }

    record Split(LabelledData train, LabelledData holdout) {}
}
