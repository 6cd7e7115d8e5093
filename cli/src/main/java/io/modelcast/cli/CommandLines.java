package io.modelcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the picocli {@link CommandLine} every modelcast tool runs with: durations such as {@code
 * 5s} understood, exit codes listed in {@code --help}, and failures reported as one line on standard
 * error with {@link ExitCodes#FAILURE}, not as a stack trace.
 */
public final class CommandLines {

    private CommandLines() {}

    /** A command line for {@code command}, a picocli {@code @Command} object. */
    public static CommandLine create(Object command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        commandLine.setParameterExceptionHandler(CommandLines::reportUsageError);
        configureHelp(commandLine);
        return commandLine;
    }

    /** 100 columns and the exit codes, on the command and every subcommand. */
    private static void configureHelp(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().width(100);
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(ExitCodes.OK + "", "Success.");
        codes.put(ExitCodes.FAILURE + "", "Failure (the message says what went wrong).");
        codes.put(ExitCodes.USAGE + "", "Invalid command line.");
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        commandLine.getSubcommands().values().forEach(CommandLines::configureHelp);
    }

    /** Prints the problem and where to find help, not the whole usage text. */
    private static int reportUsageError(ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Prints {@code <command>: error: <message>} and the causes' messages, no stack trace. */
    private static final class OneLineErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(
                Exception exception, CommandLine commandLine, ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            err.println(
                    commandLine.getCommandSpec().qualifiedName() + ": error: " + describe(exception));
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    /** A one-line description of a failure, the way a user should read it. */
    public static String describe(Throwable failure) {
        Throwable cause = failure;
        if (cause instanceof UncheckedIOException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FileSystemException fse) {
            String reason = fse.getReason();
            return fse.getFile()
                    + ": "
                    + (reason != null ? reason : cause.getClass().getSimpleName())
                    + (fse.getOtherFile() != null ? " (" + fse.getOtherFile() + ")" : "");
        }
        if (cause instanceof IOException && cause.getMessage() == null) {
            return cause.getClass().getSimpleName();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
