package io.modelcast.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.e2e.docs.DocumentedCommands.Command;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every command in the README's and docs/' code blocks that starts with {@code bin/} or {@code java
 * -jar} runs as written: its script or jar exists, and its options parse — by the tool's own picocli
 * model for the Java tools (names, values, required options; nothing runs), and for the shell
 * scripts by the script itself naming each {@code --option}. {@code bin/flink run … job.jar OPTIONS}
 * is checked as the job would parse OPTIONS.
 */
class DocsCommandsTest {

    static final Path ROOT = Path.of(System.getProperty("modelcast.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyDocumentedCommandExistsAndItsOptionsParse() throws IOException {
        List<Command> commands = new ArrayList<>();
        for (Path markdown : markdownFiles()) {
            commands.addAll(DocumentedCommands.in(markdown));
        }
        List<String> problems = new ArrayList<>();
        for (Command command : commands) {
            problem(command).ifPresent(problem -> problems.add(command + "\n    -> " + problem));
        }

        assertThat(commands).as("commands found in the docs").hasSizeGreaterThan(30);
        assertThat(commands).as("bin/fitter commands found").anyMatch(c -> c.program().equals("bin/fitter"));
        assertThat(problems).as("documented commands that would not run as written").isEmpty();
    }

    @Test
    void theExtractionSplitsAsAShellWould() {
        assertThat(DocumentedCommands.split("url=$(bin/postgres-local start | tail -1) && bin/fitter list --models \"$M\" # c"))
                .containsExactly(List.of("url="), List.of("bin/postgres-local", "start"), List.of("tail", "-1"),
                        List.of("bin/fitter", "list", "--models", "$M"));
        assertThat(DocumentedCommands.split("bin/flink-cluster start -D 'modelcast.job.args=--models /m --parallelism 2'"))
                .containsExactly(List.of("bin/flink-cluster", "start", "-D", "modelcast.job.args=--models /m --parallelism 2"));
    }

    @Test
    void aWrongOptionIsCaught() {
        assertThat(problem(new Command(Path.of("x.md"), 1, List.of("bin/fitter", "fit", "--models", "/tmp/m", "--modelz", "/tmp/m"))))
                .hasValueSatisfying(p -> assertThat(p).contains("--modelz"));
        assertThat(problem(new Command(Path.of("x.md"), 1, List.of("bin/fitter", "promote", "--models", "/tmp/m")))).isPresent();
        assertThat(problem(new Command(Path.of("x.md"), 1, List.of("bin/flink-cluster", "start", "--nodes", "2"))))
                .hasValueSatisfying(p -> assertThat(p).contains("--nodes"));
        assertThat(problem(new Command(Path.of("x.md"), 1, List.of("bin/nothing-here")))).isPresent();
        assertThat(problem(new Command(Path.of("x.md"), 1,
                List.of("bin/flink", "run", "-d", "job/target/job.jar", "--models", "/m", "--paralellism", "2"))))
                .hasValueSatisfying(p -> assertThat(p).contains("--paralellism"));
        assertThat(problem(new Command(Path.of("x.md"), 1, List.of("bin/fitter", "list", "--models", "/tmp/m")))).isEmpty();
    }

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** What is wrong with a documented command, if anything. */
    static Optional<String> problem(Command command) {
        List<String> words = command.words();
        if (command.program().equals("java")) {
            int jarAt = words.indexOf("-jar") + 1;
            if (jarAt >= words.size()) {
                return Optional.of("java -jar names no jar");
            }
            String jar = words.get(jarAt);
            Optional<Tools> tool = Tools.byJar(jar);
            if (tool.isEmpty()) {
                return Optional.of(jar + " is not a jar of this project's tools (" + List.of(Tools.values()) + ")");
            }
            if (tool.get() == Tools.JOB) {
                return Optional.of("the job jar leaves Flink out and cannot run with java -jar: use bin/job-local or bin/flink run");
            }
            return parses(tool.get(), words.subList(jarAt + 1, words.size()));
        }
        Path script = ROOT.resolve(command.program());
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            return Optional.of(command.program() + " is not an executable script of this project");
        }
        List<String> args = words.subList(1, words.size());
        Optional<Tools> tool = Tools.byScript(command.program());
        if (tool.isPresent()) {
            return parses(tool.get(), tool.get().asScriptPassesThem(args));
        }
        if (command.program().equals("bin/flink")) {
            return flinkRun(args);
        }
        return scriptNamesEachOption(script, args);
    }

    private static Optional<String> parses(Tools tool, List<String> args) {
        CommandLine commandLine = tool.commandLine();
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
            return Optional.empty();
        } catch (ParameterException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** For {@code bin/flink run [flink options] JAR [job options]}: the job's options, if JAR is the job's. */
    private static Optional<String> flinkRun(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("run")) {
            return Optional.empty();
        }
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).endsWith(".jar")) {
                if (!args.get(i).startsWith("/") && !args.get(i).startsWith("$") && !Files.exists(ROOT.resolve(args.get(i)))) {
                    return Optional.of(args.get(i) + " does not exist after a build");
                }
                return args.get(i).endsWith("job/target/job.jar")
                        ? parses(Tools.JOB, args.subList(i + 1, args.size()))
                        : Optional.empty();
            }
        }
        return Optional.of("bin/flink run names no jar");
    }

    /** A shell script's options are its own: each --option used must appear in the script's text. */
    private static Optional<String> scriptNamesEachOption(Path script, List<String> args) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            return Optional.of("cannot read " + script + ": " + e);
        }
        for (String arg : args) {
            if (arg.startsWith("--")) {
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (!text.contains(option + ")") && !text.contains(option + "|") && !text.contains("|" + option)) {
                    return Optional.of(script.getFileName() + " takes no option " + option);
                }
            }
        }
        return Optional.empty();
    }
}
