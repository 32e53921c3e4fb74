package io.flowguard.logging;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import io.helidon.logging.common.HelidonMdc;

/**
 * Writes each log record as one JSON line: time, level, logger, thread, message, the request id
 * of the HTTP request being served ({@code request_id}) and the execution a worker is driving
 * ({@code execution_id}), both from the logging context (MDC), and any error as its type, message
 * and stack, all on the one line. Lines of the {@code flowguard.audit} logger, which are JSON
 * already, are embedded as an object rather than a string.
 *
 * <p>Defence in depth against secrets: whatever a message holds, anything shaped like a JWT or a
 * bearer token, and the value of anything called password, secret or token, is replaced by
 * {@code [redacted]} before the line is written. No code logs a token on purpose.
 */
public class JsonLogFormatter extends Formatter {

    /** The logging context key of the request id (set by the edge filter). */
    public static final String REQUEST_ID = "request_id";
    /** The logging context key of the execution being driven (set by the step runner). */
    public static final String EXECUTION_ID = "execution_id";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)((?:password|passwd|secret|token)[\"']?\\s*[=:]\\s*[\"']?)[^\\s\"',;&}]+");

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"time\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
        field(line, "level", record.getLevel().getName());
        field(line, "logger", record.getLoggerName());
        field(line, "thread", Thread.currentThread().getName());
        HelidonMdc.get(REQUEST_ID).ifPresent(id -> field(line, REQUEST_ID, id));
        HelidonMdc.get(EXECUTION_ID).ifPresent(id -> field(line, EXECUTION_ID, id));
        String message = redact(formatMessage(record));
        if ("flowguard.audit".equals(record.getLoggerName()) && message.startsWith("{") && message.endsWith("}")) {
            line.append(",\"audit\":").append(message);
        } else {
            field(line, "message", message);
        }
        Throwable error = record.getThrown();
        if (error != null) {
            field(line, "error", error.getClass().getName());
            if (error.getMessage() != null) {
                field(line, "error_message", redact(error.getMessage()));
            }
            StringBuilder stack = new StringBuilder();
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t != error) {
                    stack.append("caused by ").append(t.getClass().getName()).append('\n');
                }
                StackTraceElement[] frames = t.getStackTrace();
                for (int i = 0; i < Math.min(frames.length, 30); i++) {
                    stack.append("at ").append(frames[i]).append('\n');
                }
            }
            field(line, "stack", stack.toString());
        }
        return line.append("}\n").toString();
    }

    /**
     * @param text any text
     * @return it with token- and secret-shaped parts replaced
     */
    static String redact(String text) {
        String out = JWT.matcher(text).replaceAll("[redacted]");
        out = BEARER.matcher(out).replaceAll("$1[redacted]");
        return NAMED_SECRET.matcher(out).replaceAll("$1[redacted]");
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":\"");
        escape(line, value == null ? "" : value);
        line.append('"');
    }

    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
