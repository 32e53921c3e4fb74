package io.flowguard.logging;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.logging.common.HelidonMdc;

/**
 * Writes each log record as one JSON line: time, level, logger, thread, message, the request id
 * of the HTTP request being served ({@code request_id}) and the execution a worker is driving
 * ({@code execution_id}), both from the logging context (MDC), and any error as its type, message
 * and stack, all on the one line. A message of the {@code flowguard.audit} logger that is one JSON
 * object is embedded as the object {@code audit}; any other message is the string {@code message}.
 * A record carrying {@link LogFields} has each of them as a field of its own after the message.
 *
 * <p>Each value is redacted ({@link Redaction}) as plain text and only then encoded, by Jackson:
 * redaction over an encoded line could eat the backslash that escapes a quote and break the
 * line, letting a caller make their own audit lines unparseable (issue 16, point 11). An audit
 * message is parsed and written again from its tree, its strings redacted, never spliced in as
 * text. Line breaks of every kind are escaped ({@code \n}, {@code \r}, U+0085, U+2028, U+2029), and
 * a lone surrogate (which no encoding can write) becomes U+FFFD, so one record is always one line
 * of valid JSON whatever a caller put into it.
 */
public class JsonLogFormatter extends Formatter {

    /** The logging context key of the request id (set by the edge filter). */
    public static final String REQUEST_ID = "request_id";
    /** The logging context key of the execution being driven (set by the step runner). */
    public static final String EXECUTION_ID = "execution_id";

    private static final String AUDIT_LOGGER = "flowguard.audit";
    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactoryBuilder()
                    .characterEscapes(new LineSafeEscapes()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator line = JSON.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            field(line, "level", record.getLevel().getName());
            field(line, "logger", record.getLoggerName());
            field(line, "thread", Thread.currentThread().getName());
            HelidonMdc.get(REQUEST_ID).ifPresent(id -> field(line, REQUEST_ID, id));
            HelidonMdc.get(EXECUTION_ID).ifPresent(id -> field(line, EXECUTION_ID, id));
            String message = formatMessage(record);
            JsonNode audit = AUDIT_LOGGER.equals(record.getLoggerName()) ? auditObject(message) : null;
            if (audit != null) {
                line.writeFieldName("audit");
                redacted(line, audit);
            } else {
                field(line, "message", message);
            }
            LogFields fields = LogFields.of(record);
            if (fields != null) {
                for (Map.Entry<String, Object> entry : fields.values().entrySet()) {
                    line.writeFieldName(clean(entry.getKey()));
                    redacted(line, JSON.valueToTree(entry.getValue()));
                }
            }
            Throwable error = record.getThrown();
            if (error != null) {
                field(line, "error", error.getClass().getName());
                if (error.getMessage() != null) {
                    field(line, "error_message", error.getMessage());
                }
                field(line, "stack", stack(error));
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    /** @return the message as a JSON object, or null when it is anything else (then it is logged as a string) */
    private static JsonNode auditObject(String message) {
        if (message == null || !message.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(message);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes a parsed audit value again, each string redacted and made well-formed. */
    private static void redacted(JsonGenerator line, JsonNode node) throws IOException {
        if (node.isObject()) {
            line.writeStartObject();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                line.writeFieldName(clean(entry.getKey()));
                redacted(line, entry.getValue());
            }
            line.writeEndObject();
        } else if (node.isArray()) {
            line.writeStartArray();
            for (JsonNode element : node) {
                redacted(line, element);
            }
            line.writeEndArray();
        } else if (node.isTextual()) {
            line.writeString(clean(node.textValue()));
        } else {
            line.writeTree(node); // numbers, booleans, null
        }
    }

    private static String stack(Throwable error) {
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
        return stack.toString();
    }

    private static void field(JsonGenerator line, String name, String value) {
        try {
            line.writeStringField(name, clean(value == null ? "" : value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the value redacted, with each lone surrogate replaced by U+FFFD */
    static String clean(String value) {
        String redacted = Redaction.redact(value);
        StringBuilder out = null;
        for (int i = 0; i < redacted.length(); i++) {
            char c = redacted.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < redacted.length()
                    && Character.isLowSurrogate(redacted.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(redacted.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(redacted.length()).append(redacted, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? redacted : out.toString();
    }

    /**
     * JSON's own escapes, plus the characters some line readers also split on (NEL, LINE
     * SEPARATOR, PARAGRAPH SEPARATOR): JSON allows them raw, a log pipeline may not.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case 0x85, 0x2028, 0x2029 -> new SerializedString(String.format("\\u%04x", ch));
                default -> null;
            };
        }
    }
}
