package io.modelcast.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * {@code --kafka-properties FILE} and {@code --kafka-property KEY=VALUE}: settings for a command's
 * Kafka clients — what a secured cluster needs (security.protocol, sasl.*, ssl.*), client.id,
 * timeouts. A picocli mixin shared by the job, the fitter and tcpsource, so every tool that talks to
 * Kafka reaches a secured broker the same way. The file is a Java properties file, as Kafka's own
 * tools take with {@code --command-config}. Values may be secrets: no message here shows one.
 */
public final class KafkaClientOptions {

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka: a properties file of settings for every Kafka client of this command:"
                    + " security.protocol, sasl.*, ssl.*, client.id, timeouts. Secrets belong here, not on the"
                    + " command line: values never appear in logs, errors or the web UI.")
    Path file;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka: a setting of every Kafka client of this command (repeat for more), over"
                    + " --kafka-properties.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Options as if given on the command line: {@code file} (or null) and {@code properties} over it. */
    public static KafkaClientOptions of(Path file, Map<String, String> properties) {
        KafkaClientOptions options = new KafkaClientOptions();
        options.file = file;
        options.properties = new LinkedHashMap<>(properties);
        return options;
    }

    /** No settings: the clients' own only. */
    public static KafkaClientOptions none() {
        return of(null, Map.of());
    }

    /**
     * The settings: the file's, then {@code --kafka-property} over them.
     *
     * @throws IllegalArgumentException if the file cannot be read, saying why without its content
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            settings.putAll(read(file));
        }
        settings.putAll(properties);
        return settings;
    }

    /**
     * A client's properties: {@code own} — what the command sets itself — plus these settings.
     *
     * @throws IllegalArgumentException if a setting names a key the command sets itself (naming the
     *     key, never the value), or the file cannot be read
     */
    public Properties over(Properties own, String command) {
        Properties merged = new Properties();
        merged.putAll(own);
        for (Map.Entry<String, String> setting : settings().entrySet()) {
            if (own.containsKey(setting.getKey())) {
                throw new IllegalArgumentException("--kafka-property (or --kafka-properties) " + setting.getKey()
                        + ": " + command + " sets it itself; leave it out");
            }
            merged.put(setting.getKey(), setting.getValue());
        }
        return merged;
    }

    /** A properties file's settings, by key in order; a clear error, without values, if it cannot be read. */
    public static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--kafka-properties " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            // Properties reports malformed escapes without the text around them; an I/O error names no value.
            throw new IllegalArgumentException("--kafka-properties " + file + ": cannot read it as a properties file ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            settings.put(key, properties.getProperty(key));
        }
        return settings;
    }
}
