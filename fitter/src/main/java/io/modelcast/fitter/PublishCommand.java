package io.modelcast.fitter;

import io.modelcast.cli.ExitCodes;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.ModelProbe;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.onnx.OnnxModel;
import io.modelcast.model.repository.ModelDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code fitter publish --onnx}: publishes an existing ONNX model — exported from scikit-learn,
 * PyTorch, TensorFlow — after the checks the job makes: ONNX Runtime loads it, its input and
 * output fit, and it scores the probe vectors.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes an ONNX binary classifier as the next model version, after checking that ONNX Runtime loads it,"
                    + " that it has one float input [batch, features] and a float output [batch], [batch, 1] or [batch, 2],"
                    + " and that it scores probe vectors as probabilities."
        })
final class PublishCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Mixin ChallengerOptions role;

    @Option(names = "--onnx", required = true, paramLabel = "FILE.onnx", description = "The ONNX model file.")
    Path onnx;

    @Option(names = "--output-name", paramLabel = "NAME", description = "The output holding the score. Default: the first float output.")
    String outputName;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T", description = "Score at or above which the label is 1. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        role.check(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] bytes = Files.readAllBytes(onnx);
        OnnxModel model;
        try {
            model = new OnnxModel(bytes, threshold, outputName, null);
        } catch (InvalidParametersException e) {
            err.println("fitter publish: " + onnx + " cannot be published: " + e.getMessage().replaceFirst("^parameter 'onnx' ", ""));
            err.flush();
            return ExitCodes.FAILURE;
        }
        try (model) {
            ModelProbe.check(model);
            ModelFile published = role.publish(models.open(), newest -> model, warning -> err.println("fitter publish: warning: " + warning));
            out.println("published " + ModelDirectory.fileName(published.version()) + ": " + Describe.line(published));
            return ExitCodes.OK;
        } catch (ModelProbe.ProbeFailedException e) {
            err.println("fitter publish: " + onnx + " cannot be published: the model " + e.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
