package io.modelcast.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcast.model.CustomModel;
import io.modelcast.model.LogisticModel;
import io.modelcast.model.file.ModelFileException.Reason;
import io.modelcast.model.repository.ModelDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * tools/python/modelcast_publish.py, the stdlib-only Python writer, against the Java reader: the
 * same canonical form and checksum for the same JSON, files Java reads as published, and the same
 * directory lock (Java and Python publishing at once never reuse a version). Needs python3 on the
 * PATH (any version from 3.8; no packages).
 */
class PythonPublisherTest {

    private static final Path TOOLS = Path.of("..", "tools", "python").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void thePythonUnitTestsPass() throws Exception {
        Run run = python(List.of("-m", "unittest", "-v", "test_modelcast_publish"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("OK").doesNotContain("skipped");
    }

    @Test
    void pythonAndJavaCanonicalizeTheSameJsonAlike() throws Exception {
        ArrayNode numbers = JSON.createArrayNode();
        SplittableRandom random = new SplittableRandom(18);
        while (numbers.size() < 20_000) {
            double value = numbers.size() % 2 == 0
                    ? Double.longBitsToDouble(random.nextLong())
                    : Math.round(random.nextDouble() * 1e6) * Math.pow(10, random.nextInt(-12, 12));
            if (!Double.isNaN(value) && !Double.isInfinite(value)) {
                numbers.add(value);
            }
        }
        ObjectNode value = JSON.createObjectNode();
        value.set("numbers", numbers);
        value.put("text", "Grüße \u20ac \ud83d\ude00 \"quoted\" \\ back\n\t\u0001");
        value.put("\u00f6", 1).put("\r", 2).put("Z", 3).put("a", 10_000_000_000L);
        value.putObject("nested").put("weights", 0.0005).putArray("list").add(1e21).add(1e-7).add(3);
        Path file = dir.resolve("value.json");
        Files.write(file, JSON.writeValueAsBytes(value));

        Run run = python(List.of("modelcast_publish.py", "canonicalize", file.toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> lines = run.output().lines().toList();
        String javaForm = JsonCanonicalization.canonicalize(JSON.readTree(file.toFile()));
        assertThat(lines.get(0)).isEqualTo(javaForm);
        assertThat(lines.get(1)).isEqualTo(ModelFileCodec.sha256Hex(JSON.readTree(file.toFile())));
    }

    @Test
    void filesPythonPublishesReadAsTheModelsTheyDescribe() throws Exception {
        assertThat(python(List.of("modelcast_publish.py", "custom", "--models", dir.toString(), "--cloned"))
                .exitCode()).isZero();
        assertThat(python(List.of("modelcast_publish.py", "logistic", "--models", dir.toString(), "--name", "fraud",
                "--weights=0.0005,-1e-7,3", "--bias", "0.25")).exitCode()).isZero();

        ModelFileCodec codec = new ModelFileCodec();
        ModelFile custom = codec.read(dir.resolve("model-1.json"));
        ModelFile logistic = codec.read(dir.resolve("fraud").resolve("model-1.json"));

        assertThat(custom.model()).isEqualTo(new CustomModel(true));
        assertThat(logistic.model()).isEqualTo(new LogisticModel(new double[] {0.0005, -1e-7, 3}, 0.25, 0.5, null));
        assertThat(Files.readSymbolicLink(dir.resolve(ModelDirectory.CURRENT_LINK_NAME))).hasToString("model-1.json");
    }

    @Test
    void aPythonFileWithAWrongChecksumIsRejected() throws Exception {
        Run run = python(List.of("-c", "import modelcast_publish as mp; mp.publish('" + dir + "', 'custom',"
                + " mp.custom_parameters(True), checksum=mp.parameters_sha256(mp.custom_parameters(False)))"));
        assertThat(run.exitCode()).as(run.output()).isZero();

        assertThatThrownBy(() -> new ModelFileCodec().read(dir.resolve("model-1.json")))
                .isInstanceOfSatisfying(ModelFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH));
    }

    @Test
    void javaAndPythonPublishingAtOnceNeverShareAVersion() throws Exception {
        int each = 25;
        Path output = dir.resolve("publisher.out");
        Process pythonPublisher = start(List.of("-c", "import modelcast_publish as mp\nfor i in range(" + each + "):\n"
                + "    mp.publish('" + dir + "', 'custom', mp.custom_parameters(i % 2 == 0))"), output);
        ModelDirectory directory = ModelDirectory.open(dir);
        for (int i = 0; i < each; i++) {
            boolean cloned = i % 2 == 0;
            directory.publish(newest -> new CustomModel(cloned), warning -> {}).model().close();
        }
        assertThat(pythonPublisher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pythonPublisher.exitValue()).as(Files.readString(output)).isZero();

        List<Long> versions = directory.list().stream().map(ModelDirectory.PublishedFile::version).sorted().toList();
        assertThat(versions).hasSize(2 * each).doesNotHaveDuplicates().startsWith(1L).endsWith(2L * each);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    private record Run(int exitCode, String output) {}

    private Run python(List<String> arguments) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "python", ".out");
        Process process = start(arguments, output);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 " + arguments + " did not finish in 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Starts python3 in tools/python, its output (and errors) to a file: a pipe could fill and stop it. */
    private static Process start(List<String> arguments, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("python3");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(TOOLS.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        return builder.start();
    }
}
