package io.modelcast.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bench real-models}: scenario 5 alone ({@link RealModels}), printed. */
@Command(
        name = "real-models",
        mixinStandardHelpOptions = true,
        description = "Records/s of CSV records scored by a logistic model and by its ONNX export (batch sizes 1, 64, 256)"
                + " at parallelism 2, and the swap latency of a 10 MB ONNX model.")
final class RealModelsCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The built checkout. Default: ${DEFAULT-VALUE}.")
    Path root;

    @Option(names = "--records", defaultValue = "2000000", description = "Records per throughput run. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(names = "--repetitions", defaultValue = "3", description = "Runs of each variant, taking turns; 0 for the large model's swaps alone. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--publishes", defaultValue = "10", description = "Large ONNX models published and timed. Default: ${DEFAULT-VALUE}.")
    int publishes;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("modelcast-bench-real");
        out.println("logs in " + work);
        RealModels.Result result = RealModels.measure(new Project(root), work, records, repetitions, List.of(1, 64, 256),
                publishes, out);
        for (RealModels.Throughput t : result.throughput()) {
            out.printf(Locale.ROOT, "%s batch %d: median %,.0f records/s, runs %s%n", t.model(), t.batchSize(), t.median(), t.runs());
        }
        out.printf(Locale.ROOT, "%.1f MB ONNX model swap, last subtask: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d publishes)%n",
                result.largeModelBytes() / 1e6, result.largeSwapLastSubtask().p50(), result.largeSwapLastSubtask().p99(),
                result.largeSwapLastSubtask().max(), result.largeSwapMillis().size());
        out.flush();
        return 0;
    }
}
