package io.modelcast.fitter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcast.cli.ExitCodes;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.remote.RemoteModelType;
import io.modelcast.model.repository.ModelDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fitter publish-remote}: publishes a {@code remote} model — a pointer to a model served by
 * TensorFlow Serving (or anything speaking its REST predict API) — as the next version. The job
 * switches to it like to any model; publishing another pointer (say, to a new serving version)
 * switches again. As a challenger ({@link ChallengerOptions}) it runs beside the local champion.
 */
@Command(
        name = "publish-remote",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a pointer to a model server's REST predict API (TensorFlow Serving's:"
                    + " POST <endpoint>/v1/models/<name>[/versions/<v>]:predict) as the next model version. The server is"
                    + " not called here: it may be down now and up when the job needs it. With --on-failure fallback,"
                    + " records the server cannot score are scored by the local model --fallback-version, which must"
                    + " be published already. With --role challenger, the pointer runs beside the local champion"
                    + " (shadow or canary), which stands in for every failed call."
        })
final class PublishRemoteCommand implements Callable<Integer> {

    @Mixin ModelsOption models;

    @Mixin ChallengerOptions role;

    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "The server, e.g. http://127.0.0.1:8501.")
    String endpoint;

    @Option(names = "--serving-name", required = true, paramLabel = "NAME", description = "The served model's name on the server.")
    String name;

    @Option(names = "--serving-version", paramLabel = "V", description = "The served model's version. Default: the server's default.")
    Long servingVersion;

    @Option(names = "--timeout", defaultValue = "1s", paramLabel = "DURATION",
            description = "How long one attempt may take, connecting included. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
            description = "Retries of an attempt that timed out, could not connect or got a 429 or 5xx. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--on-failure", defaultValue = "fail", paramLabel = "fail|fallback",
            description = "What becomes of a record the server could not score: fail (the job's rejected output, with"
                    + " the reason) or fallback (scored by --fallback-version). Default: ${DEFAULT-VALUE}.")
    String onFailure;

    @Option(names = "--fallback-version", paramLabel = "V", description = "With --on-failure fallback: the local model version to score with.")
    Long fallbackVersion;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T",
            description = "Feature vectors: the score at or above which the label is 1. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        role.check(spec);
        try {
            ObjectNode parameters = JsonNodeFactory.instance.objectNode()
                    .put("endpoint", endpoint)
                    .put("name", name)
                    .put("timeoutMs", timeout.toMillis())
                    .put("retries", retries)
                    .put("onFailure", onFailure)
                    .put("threshold", threshold);
            if (servingVersion != null) {
                parameters.put("servingVersion", servingVersion);
            }
            if (fallbackVersion != null) {
                parameters.put("fallbackVersion", fallbackVersion);
            }
            RemoteModel pointer = new RemoteModelType().fromParameters(parameters);
            ModelDirectory directory = models.open();
            if (fallbackVersion != null) {
                String problem = fallbackProblem(directory, fallbackVersion);
                if (problem != null) {
                    err.println("fitter publish-remote: --fallback-version " + fallbackVersion + " " + problem);
                    return ExitCodes.FAILURE;
                }
            }
            ModelFile published = role.publish(directory, newest -> pointer,
                    warning -> err.println("fitter publish-remote: warning: " + warning));
            out.println("published " + ModelDirectory.fileName(published.version()) + ": " + Describe.line(published));
            return ExitCodes.OK;
        } catch (InvalidParametersException e) {
            err.println("fitter publish-remote: " + e.getMessage()
                    .replace("parameter 'endpoint'", "--endpoint").replace("parameter 'name'", "--serving-name")
                    .replace("parameter 'servingVersion'", "--serving-version").replace("parameter 'timeoutMs'", "--timeout (ms)")
                    .replace("parameter 'retries'", "--retries").replace("parameter 'onFailure'", "--on-failure")
                    .replace("parameter 'fallbackVersion'", "--fallback-version").replace("parameter 'threshold'", "--threshold"));
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Null if {@code version} is a published local model, else what is wrong. */
    private static String fallbackProblem(ModelDirectory directory, long version) {
        try (var model = directory.readPublished(version).model()) {
            return model instanceof RemoteModel ? "is a remote model; a fallback must be local" : null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }
}
