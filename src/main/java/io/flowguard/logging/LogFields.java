package io.flowguard.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Named values a log line carries beside its message, so a collector can query them
 * ({@code flow = "expense-approval"}) instead of parsing the text. {@link JsonLogFormatter} writes
 * each as a top-level field of the line, its strings redacted like every other value. A value is a
 * string, a number, a boolean, or a list or map of those.
 *
 * @param values the fields in the order they are written; none may use a name the formatter writes
 *               itself ({@code time}, {@code level}, {@code message}, ...)
 */
public record LogFields(Map<String, Object> values) {

    /** The names the formatter writes on every line, which a field may not take. */
    static final Set<String> RESERVED = Set.of("time", "level", "logger", "thread", "message",
            JsonLogFormatter.REQUEST_ID, JsonLogFormatter.EXECUTION_ID, "audit", "error", "error_message", "stack");

    /** @throws IllegalArgumentException when a name is reserved (a programming error, caught by the first test) */
    public LogFields {
        for (String name : values.keySet()) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("log field '" + name + "' would hide the line's own " + name);
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Logs one line with fields.
     *
     * @param logger  where
     * @param level   how severe
     * @param message the line's message, written as it is (no {@code {0}} placeholders)
     * @param fields  the line's fields
     */
    public static void log(Logger logger, Level level, String message, Map<String, Object> fields) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger.getName());
        record.setParameters(new Object[] {new LogFields(fields)});
        logger.log(record);
    }

    /**
     * Logs one line with fields given as name, value, name, value ...
     *
     * @param logger         where
     * @param level          how severe
     * @param message        the line's message, written as it is (no {@code {0}} placeholders)
     * @param namesAndValues the fields, in the order they are written
     */
    public static void log(Logger logger, Level level, String message, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come as name, value pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        log(logger, level, message, fields);
    }

    /**
     * @param record a log record
     * @return its fields, or null when it has none
     */
    static LogFields of(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            for (Object parameter : parameters) {
                if (parameter instanceof LogFields fields) {
                    return fields;
                }
            }
        }
        return null;
    }
}
