package io.modelcast.job.options;

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
 * Reads {@code --kafka-properties FILE}: a Java properties file ({@code key=value} lines, {@code #}
 * comments), as Kafka's own tools take with {@code --command-config}. Its values may be secrets, so
 * no message here shows one.
 */
final class KafkaPropertiesFile {

    private KafkaPropertiesFile() {}

    /** The file's settings, by key in order; a clear error if it cannot be read. */
    static Map<String, String> read(Path file) {
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
