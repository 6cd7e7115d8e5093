package io.modelcast.job.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Every log event of this JVM, at INFO and above, while it is open — messages with their
 * exceptions' text — for tests of what the job and its clients (Kafka's config dumps) write to
 * logs. Thread-safe.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Capture appender = new Capture();
    private final LoggerConfig root;

    private CapturedLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        appender.start();
        root = configuration.getRootLogger();
        root.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    /** Starts capturing. */
    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    /** The events so far, each as its message and its exception's stack trace. */
    public List<String> lines() {
        synchronized (appender.lines) {
            return List.copyOf(appender.lines);
        }
    }

    @Override
    public void close() {
        root.removeAppender(appender.getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        appender.stop();
    }

    private static final class Capture extends AbstractAppender {
        private final List<String> lines = new ArrayList<>();

        Capture() {
            super("captured-logs-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            synchronized (lines) {
                lines.add(line.toString());
            }
        }
    }
}
