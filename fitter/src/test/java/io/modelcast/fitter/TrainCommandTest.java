package io.modelcast.fitter;

import static io.modelcast.fitter.FitterCliTest.fitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.fitter.FitterCliTest.Run;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.onnx.OnnxModel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir Path work;

    private Path data(String name, int rows, long seed, long concept) {
        Path file = work.resolve(name);
        Run run = fitter("gen-data", "--rows", Integer.toString(rows), "--features", "4", "--seed", Long.toString(seed),
                "--concept", Long.toString(concept), "--output", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return file;
    }

    private Path models() throws Exception {
        return Files.createDirectories(work.resolve("models"));
    }

    @Test
    void genDataWritesAHeaderFeaturesAndALabelAndIsReproducible() throws Exception {
        Path a = data("a.csv", 50, 3, 42);
        Path b = data("b.csv", 50, 3, 42);
        assertThat(Files.readAllLines(a)).hasSize(51).first().isEqualTo("f0,f1,f2,f3,label");
        assertThat(Files.readAllLines(a).get(1)).matches("(-?\\d+\\.\\d{4},){4}[01]");
        assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
    }

    @Test
    void trainPublishesTheFirstModelAndRecordsItsEvaluation() throws Exception {
        Path models = models();
        Run run = fitter("train", "--data", data("d.csv", 2000, 1, 42).toString(), "--models", models.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("champion: none published yet").contains("published model-1.json");
        ModelFile file = new ModelFileCodec().read(models.resolve("model-1.json"));
        LogisticModel model = (LogisticModel) file.model();
        assertThat(model.featureCount()).isEqualTo(4);
        assertThat(model.evaluation().rows()).isEqualTo(400);
        // The labels come from a logistic model of these features: a fit does much better than chance.
        assertThat(model.evaluation().auc()).isGreaterThan(0.8);
    }

    @Test
    void trainRefusesAWorseModelAndPublishesABetterOne() throws Exception {
        Path models = models();
        Path good = data("good.csv", 4000, 1, 42);
        assertThat(fitter("train", "--data", good.toString(), "--models", models.toString()).exitCode()).isZero();

        // One gradient step on the same rows, compared on the same holdout: worse than the champion.
        Run worse = fitter("train", "--data", good.toString(), "--models", models.toString(), "--epochs", "1");
        assertThat(worse.exitCode()).isZero();
        assertThat(worse.out()).contains("not published: the current model (version 1) does as well or better");
        assertThat(models.resolve("model-2.json")).doesNotExist();

        // A champion trained for one step only is beaten by a full fit on the same data.
        Path models2 = Files.createDirectories(work.resolve("models2"));
        assertThat(fitter("train", "--data", good.toString(), "--models", models2.toString(), "--epochs", "1").exitCode()).isZero();
        Run better = fitter("train", "--data", good.toString(), "--models", models2.toString());
        assertThat(better.out()).contains("published model-2.json");

        Run forced = fitter("train", "--data", good.toString(), "--models", models.toString(), "--epochs", "1", "--force");
        assertThat(forced.out()).contains("published model-2.json");
    }

    @Test
    void trainCanPublishTheModelAsOnnxAndPublishChecksAnOnnxFile() throws Exception {
        Path models = models();
        Run run = fitter("train", "--data", data("d.csv", 1000, 1, 42).toString(), "--models", models.toString(),
                "--format", "onnx");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (OnnxModel model = (OnnxModel) new ModelFileCodec().read(models.resolve("model-1.json")).model()) {
            assertThat(model.featureCount()).isEqualTo(4);
            assertThat(model.evaluation()).isNotNull();
            Path onnx = Files.write(work.resolve("exported.onnx"), model.onnx());
            Run published = fitter("publish", "--onnx", onnx.toString(), "--models", models.toString());
            assertThat(published.exitCode()).as(published.err()).isZero();
            assertThat(published.out()).contains("published model-2.json: 2  onnx");
        }
        Path notOnnx = Files.writeString(work.resolve("bad.onnx"), "hello");
        Run rejected = fitter("publish", "--onnx", notOnnx.toString(), "--models", models.toString());
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.err()).contains("bad.onnx cannot be published: is not a model ONNX Runtime can load");
        assertThat(models.resolve("model-3.json")).doesNotExist();
    }
}
