package io.modelcast.e2e.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The commands in Markdown code blocks ({@code bash}, {@code sh}, {@code shell}, {@code console} or
 * unlabelled) that start with {@code bin/…} or {@code java … -jar}: split into words as a shell
 * would for simple cases — quotes, {@code \} line continuations, {@code #} comments, and commands
 * separated by {@code && || | ; &} or inside {@code $( … )}. Variables stay as written.
 */
final class DocumentedCommands {

    /** One command: where it is, and its words (the program first). */
    record Command(Path file, int line, List<String> words) {
        String program() {
            return words.get(0);
        }

        @Override
        public String toString() {
            return file.getFileName() + ":" + line + ": " + String.join(" ", words);
        }
    }

    private static final Set<String> SHELL_LANGUAGES = Set.of("", "bash", "sh", "shell", "console");
    private static final Set<String> PREFIXES = Set.of("sudo", "exec", "time", "nohup", "env");

    private DocumentedCommands() {}

    static List<Command> in(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        List<Command> commands = new ArrayList<>();
        boolean inShellBlock = false;
        boolean inOtherBlock = false;
        StringBuilder logical = new StringBuilder();
        int logicalStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                if (inShellBlock || inOtherBlock) {
                    inShellBlock = inOtherBlock = false;
                } else if (SHELL_LANGUAGES.contains(trimmed.substring(3).strip())) {
                    inShellBlock = true;
                } else {
                    inOtherBlock = true;
                }
                continue;
            }
            if (!inShellBlock) {
                continue;
            }
            if (logical.isEmpty()) {
                logicalStart = i + 1;
                if (trimmed.startsWith("$ ")) {
                    trimmed = trimmed.substring(2);
                }
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            int start = logicalStart;
            for (List<String> words : split(logical.toString())) {
                commandOf(words).ifPresent(w -> commands.add(new Command(markdown, start, w)));
            }
            logical.setLength(0);
        }
        return commands;
    }

    /** The words from the program on, if the simple command runs a bin/ script or a jar. */
    private static java.util.Optional<List<String>> commandOf(List<String> words) {
        int start = 0;
        while (start < words.size()
                && (PREFIXES.contains(words.get(start)) || words.get(start).matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
            start++;
        }
        if (start == words.size()) {
            return java.util.Optional.empty();
        }
        String program = words.get(start).startsWith("./bin/") ? words.get(start).substring(2) : words.get(start);
        if (program.startsWith("bin/") || (program.equals("java") && words.contains("-jar"))) {
            List<String> command = new ArrayList<>(words.subList(start, words.size()));
            command.set(0, program);
            return java.util.Optional.of(command);
        }
        return java.util.Optional.empty();
    }

    /** Simple commands of one logical line, as lists of words. */
    static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int substitutionsInQuotes = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            boolean opensSubstitution = c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(';
            if (quote == '"') {
                if (c == '"' && substitutionsInQuotes == 0) {
                    quote = 0;
                } else if (opensSubstitution || (c == ')' && substitutionsInQuotes > 0)) {
                    substitutionsInQuotes += c == ')' ? -1 : 1;
                    i += opensSubstitution ? 1 : 0;
                    endCommand(commands, words, word, inWord);
                    word.setLength(0);
                    inWord = false;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '#' && !inWord) {
                break;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (opensSubstitution || c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '`') {
                i += opensSubstitution ? 1 : 0;
                endCommand(commands, words, word, inWord);
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        endCommand(commands, words, word, inWord);
        return commands;
    }

    private static void endCommand(List<List<String>> commands, List<String> words, StringBuilder word, boolean inWord) {
        if (inWord) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            commands.add(new ArrayList<>(words));
            words.clear();
        }
    }
}
