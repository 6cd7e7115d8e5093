package io.modelcast.job.score;

import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.modelupdates.ValidatedModelSerializer;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.Model;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.onnx.LogisticOnnxExport;
import io.modelcast.model.onnx.OnnxModel;

import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What one held model costs a scoring subtask, per kind: its broadcast-state entry (what each
 * checkpoint copies, per subtask) and the heap of its live model, measured over 500 models. A
 * measurement, not part of the suite:
 *
 * <pre>
 * mvn -pl job -am test -Dtest=HeldModelFootprint -Dsurefire.failIfNoSpecifiedTests=false -Dmodelcast.footprint=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "modelcast.footprint", matches = "true")
class HeldModelFootprint {

    private static final int MODELS = 500;

    @Test
    void perKind() throws Exception {
        measure("custom", InputFormat.INT, i -> new CustomModel(i % 2 == 0));
        measure("logistic, 8 features", InputFormat.CSV, i -> logistic(i, 8));
        measure("logistic, 1000 features", InputFormat.CSV, i -> logistic(i, 1000));
        measure("onnx, 8 features", InputFormat.CSV, i -> onnx(i, 8));
        measure("onnx, 1000 features", InputFormat.CSV, i -> onnx(i, 1000));
    }

    private interface Maker {
        Model make(int i) throws Exception;
    }

    private static void measure(String kind, InputFormat format, Maker maker) throws Exception {
        ModelFileCodec codec = new ModelFileCodec();
        ModelValidator validator = new ModelValidator(ModelFileCodec.DEFAULT_MAX_BYTES, format);
        List<ValidatedModel> updates = new ArrayList<>();
        long stateBytes = 0;
        for (int i = 0; i < MODELS; i++) {
            byte[] file = codec.encode(ModelFile.create(1, Instant.EPOCH, maker.make(i)));
            ValidatedModel update = ((ModelValidator.Accepted) validator.validate(ModelFileBytes.read("m" + i + "/model-1.json", file)))
                    .toValidatedModel("m" + i, "m" + i + "/model-1.json");
            DataOutputSerializer out = new DataOutputSerializer(1024);
            ValidatedModelSerializer.INSTANCE.serialize(update, out);
            stateBytes += out.length();
            updates.add(update);
        }
        long before = usedHeap();
        long rssBefore = residentBytes();
        List<LiveModel> live = new ArrayList<>();
        for (ValidatedModel update : updates) {
            live.add(LiveModels.build(update, 64));
        }
        long after = usedHeap();
        long rssAfter = residentBytes();
        System.out.printf(Locale.ROOT, "[footprint] %-24s state %8d B per model per subtask, live heap %8d B, process RSS %8d B per model%n",
                kind, stateBytes / MODELS, (after - before) / MODELS, (rssAfter - rssBefore) / MODELS);
        live.forEach(LiveModel::close);
    }

    private static LogisticModel logistic(int seed, int features) {
        Random random = new Random(seed);
        double[] weights = new double[features];
        for (int j = 0; j < features; j++) {
            weights[j] = random.nextGaussian();
        }
        return new LogisticModel(weights, random.nextGaussian(), 0.5, null);
    }

    private static Model onnx(int seed, int features) throws Exception {
        LogisticModel model = logistic(seed, features);
        return new OnnxModel(LogisticOnnxExport.export(model), 0.5, LogisticOnnxExport.OUTPUT, null);
    }

    /** The process's resident set (Linux), which counts ONNX Runtime's native sessions too. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
