package io.modelcast.e2e.docs;

import io.modelcast.bench.Bench;
import io.modelcast.console.Console;
import io.modelcast.cli.CommandLines;
import io.modelcast.fitter.Fitter;
import io.modelcast.job.JobArguments;
import io.modelcast.job.LocalJob;
import io.modelcast.kafkalocal.KafkaLocal;
import io.modelcast.tcpsource.TcpSource;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The project's Java command-line tools, each with the picocli model it runs with, as the docs
 * name them: a {@code bin/} script or a {@code java -jar} jar. Parsing a command with {@link
 * #commandLine()} checks its options' names, values and required options, without running it.
 */
enum Tools {
    FITTER("bin/fitter", "fitter/target/fitter.jar", Fitter::commandLine),
    TCPSOURCE("bin/tcpsource", "tcpsource/target/tcpsource.jar", TcpSource::commandLine),
    JOB_LOCAL("bin/job-local", null, () -> JobArguments.commandLine(new LocalJob())),
    /** The job as a cluster runs it: {@code bin/flink run … job/target/job.jar OPTIONS}, or a web-UI upload. */
    JOB(null, "job/target/job.jar", () -> JobArguments.commandLine(new JobArguments())),
    KAFKA_LOCAL("bin/kafka-local", "kafka-local/target/kafka-local.jar", () -> CommandLines.create(new KafkaLocal())),
    BENCH("bin/bench", "bench/target/bench.jar", () -> CommandLines.create(new Bench())),
    CONSOLE("bin/console", "console/target/console.jar", () -> CommandLines.create(new Console()));

    private final String script;
    private final String jar;
    private final Supplier<CommandLine> commandLine;

    Tools(String script, String jar, Supplier<CommandLine> commandLine) {
        this.script = script;
        this.jar = jar;
        this.commandLine = commandLine;
    }

    CommandLine commandLine() {
        return commandLine.get();
    }

    Optional<String> script() {
        return Optional.ofNullable(script);
    }

    Optional<String> jar() {
        return Optional.ofNullable(jar);
    }

    static Optional<Tools> byScript(String script) {
        for (Tools tool : values()) {
            if (script.equals(tool.script)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    static Optional<Tools> byJar(String jar) {
        for (Tools tool : values()) {
            if (jar.equals(tool.jar)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    /**
     * The arguments the tool's {@code bin/} script hands on for {@code args}: bin/bench and
     * bin/kafka-local add their own after a subcommand's name, as those scripts do.
     */
    List<String> asScriptPassesThem(List<String> args) {
        String added = switch (this) {
            case BENCH -> "--root";
            case KAFKA_LOCAL -> "--dir";
            default -> null;
        };
        if (added == null) {
            return args;
        }
        List<String> passed = new ArrayList<>();
        boolean subcommand = !args.isEmpty() && !args.get(0).startsWith("-");
        if (subcommand) {
            passed.add(args.get(0));
        }
        if (this == BENCH || subcommand) {
            passed.add(added);
            passed.add("/tmp/added-by-the-script");
        }
        passed.addAll(subcommand ? args.subList(1, args.size()) : args);
        return passed;
    }
}
